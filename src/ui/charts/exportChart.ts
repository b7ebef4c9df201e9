// Export a chart: its SVG drawn onto a canvas (with the title and legend, which recharts renders outside
// the SVG) as PNG, or its data as CSV. Everything stays local: blob URLs, no network.
import type { ChartData, ChartLine } from './data';
import { toCsv } from './data';

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const fileSlug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'chart';

/** `data` built with maxPoints Infinity: every step's logged value (and the smoothed ones in named columns). */
export function exportCsv(title: string, data: ChartData, smoothing: number): void {
  downloadBlob(new Blob([toCsv(data, smoothing)], { type: 'text/csv' }), `${fileSlug(title)}.csv`);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The PNG with UTF-8 text chunks (iTXt: keyword, then the text) placed after its header, so the file itself
 * says which runs, axes and smoothing it shows (image viewers and `exiftool` list them).
 */
export function withPngText(png: Uint8Array, entries: readonly [string, string][]): Uint8Array {
  const enc = new TextEncoder();
  const ihdrEnd = 8 + 8 + 13 + 4; // signature, IHDR length+type, IHDR data, CRC
  const chunks = entries.map(([key, text]) => {
    const data = new Uint8Array([...enc.encode(key.slice(0, 79)), 0, 0, 0, 0, 0, ...enc.encode(text)]);
    const chunk = new Uint8Array(12 + data.length);
    const view = new DataView(chunk.buffer);
    view.setUint32(0, data.length);
    chunk.set(enc.encode('iTXt'), 4);
    chunk.set(data, 8);
    view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
    return chunk;
  });
  const out = new Uint8Array(png.length + chunks.reduce((n, c) => n + c.length, 0));
  out.set(png.subarray(0, ihdrEnd), 0);
  let at = ihdrEnd;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  out.set(png.subarray(ihdrEnd), at);
  return out;
}

/** The text chunks of a PNG written by withPngText (for the tests, and to check an export). */
export function readPngText(png: Uint8Array): Record<string, string> {
  const dec = new TextDecoder();
  const out: Record<string, string> = {};
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = 8; at + 12 <= png.length;) {
    const len = view.getUint32(at);
    const type = dec.decode(png.subarray(at + 4, at + 8));
    if (type === 'iTXt') {
      const data = png.subarray(at + 8, at + 8 + len);
      const z = data.indexOf(0);
      let p = z + 3; // null, compression flag, method
      p = data.indexOf(0, p) + 1; // language tag
      p = data.indexOf(0, p) + 1; // translated keyword
      out[dec.decode(data.subarray(0, z))] = dec.decode(data.subarray(p));
    }
    at += 12 + len;
  }
  return out;
}

/**
 * The chart as a PNG: its title and what it shows (runs, axes, smoothing, zoom: `notes`) above the chart's
 * SVG (axis titles included), the legend of its shown lines below; the same notes in the file's text chunks.
 */
export async function exportPng(title: string, svg: SVGSVGElement, lines: readonly ChartLine[], notes: readonly string[]): Promise<void> {
  const { width, height } = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('style', 'font-family: system-ui, sans-serif; font-size: 12px');
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const scale = 2;
    const top = 30 + 16 * notes.length;
    const legend = 18 * lines.length + 8;
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil((height + top + legend) * scale);
    const g = canvas.getContext('2d')!;
    g.scale(scale, scale);
    g.fillStyle = '#fff';
    g.fillRect(0, 0, width, height + top + legend);
    g.fillStyle = '#111827';
    g.font = '600 14px system-ui, sans-serif';
    g.fillText(title, 10, 20);
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = '#4b5563';
    notes.forEach((n, i) => g.fillText(n.replace(/[\u2066-\u2069]/g, ''), 10, 36 + 16 * i, width - 20));
    g.drawImage(img, 0, top, width, height);
    g.font = '12px system-ui, sans-serif';
    lines.forEach((l, i) => {
      const y = top + height + 12 + i * 18;
      g.strokeStyle = l.color;
      g.lineWidth = 2;
      g.setLineDash(l.dash ? l.dash.split(' ').map(Number) : []);
      g.beginPath();
      g.moveTo(12, y);
      g.lineTo(36, y);
      g.stroke();
      g.fillStyle = '#111827';
      g.fillText(l.name.replace(/[\u2066-\u2069]/g, ''), 44, y + 4);
    });
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the browser could not encode the PNG');
    const png = withPngText(new Uint8Array(await blob.arrayBuffer()), [['Title', title], ...notes.map((n, i) => [`Note ${i + 1}`, n] as [string, string])]);
    downloadBlob(new Blob([png as BlobPart], { type: 'image/png' }), `${fileSlug(title)}.png`);
  } finally {
    URL.revokeObjectURL(url);
  }
}
