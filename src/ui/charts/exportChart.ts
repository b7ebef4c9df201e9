// Export a chart: its SVG drawn onto a canvas (with the title and legend, which recharts renders outside
// the SVG) as PNG, or its data as CSV. Everything stays local: blob URLs, no network.
import type { ChartData } from './data';
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

/** `data` built without down-sampling: every step's logged value (and the smoothed ones in named columns). */
export function exportCsv(title: string, data: ChartData, smoothing: number): void {
  downloadBlob(new Blob([toCsv(data, smoothing)], { type: 'text/csv' }), `${fileSlug(title)}.csv`);
}

export async function exportPng(title: string, svg: SVGSVGElement, data: ChartData): Promise<void> {
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
    const top = 30;
    const legend = 18 * data.lines.length + 8;
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
    g.drawImage(img, 0, top, width, height);
    g.font = '12px system-ui, sans-serif';
    data.lines.forEach((l, i) => {
      const y = top + height + 12 + i * 18;
      g.strokeStyle = l.color;
      g.lineWidth = 2;
      g.setLineDash(l.dash ? l.dash.split(' ').map(Number) : []);
      g.beginPath();
      g.moveTo(12, y);
      g.lineTo(36, y);
      g.stroke();
      g.fillStyle = '#111827';
      g.fillText(l.name, 44, y + 4);
    });
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the browser could not encode the PNG');
    downloadBlob(blob, `${fileSlug(title)}.png`);
  } finally {
    URL.revokeObjectURL(url);
  }
}
