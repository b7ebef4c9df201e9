// The safetensors container: an 8-byte little-endian header length, a JSON header naming each tensor's
// dtype, shape and byte range (plus string-only __metadata__), then the raw little-endian data.
// Only F32 is used here. Decoding checks every range against the file, so a truncated file is refused.

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

const MAX_HEADER_BYTES = 1 << 20;

export function encodeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let byte = 0;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new SafetensorsError(`tensor ${t.name}: shape [${t.shape}] needs ${n} values, got ${t.data.length}`);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [byte, byte + n * 4] };
    byte += n * 4;
  }
  let json = JSON.stringify(header);
  while ((8 + new TextEncoder().encode(json).length) % 8 !== 0) json += ' '; // data starts 8-byte aligned
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + byte);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++) dv.setFloat32(at + i * 4, t.data[i], true);
    at += t.data.length * 4;
  }
  return out;
}

export interface DecodedSafetensors {
  metadata: Record<string, string>;
  tensors: Map<string, { dtype: string; shape: number[]; data: Float32Array | null }>; // data null unless F32
}

export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  if (bytes.length < 8) throw new SafetensorsError(`file is ${bytes.length} bytes, too short for a safetensors header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(dv.getBigUint64(0, true));
  if (headerLen > MAX_HEADER_BYTES || 8 + headerLen > bytes.length) {
    throw new SafetensorsError(`header length ${headerLen} does not fit in a ${bytes.length}-byte file (truncated or not safetensors)`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    throw new SafetensorsError(`header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new SafetensorsError('header is not a JSON object');
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const tensors: DecodedSafetensors['tensors'] = new Map();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const t = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const shape = t.shape;
    const offs = t.data_offsets;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new SafetensorsError(`tensor ${name} has a bad shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offs) || offs.length !== 2 || !(offs[0] >= 0) || !(offs[1] >= offs[0]) || offs[1] > dataLen) {
      throw new SafetensorsError(`tensor ${name} has data range ${JSON.stringify(offs)} outside the ${dataLen}-byte data (truncated?)`);
    }
    const n = (shape as number[]).reduce((a, b) => a * b, 1);
    let data: Float32Array | null = null;
    if (t.dtype === 'F32') {
      if (offs[1] - offs[0] !== n * 4) throw new SafetensorsError(`tensor ${name}: ${offs[1] - offs[0]} bytes for shape [${shape}] of F32`);
      data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = dv.getFloat32(dataStart + offs[0] + i * 4, true);
    }
    tensors.set(name, { dtype: String(t.dtype), shape: shape as number[], data });
  }
  return { metadata, tensors };
}
