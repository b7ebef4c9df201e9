// Grow-only scratch buffers shared by the ops of this folder, so hot loops never allocate.
// Each op owns its names; the CPU backend is single-threaded, so one buffer per name is enough.

const buffers = new Map<string, Float64Array>();

/** A Float64Array of at least `length` elements for `name`; its contents are garbage on return. */
export function scratch(name: string, length: number): Float64Array {
  const existing = buffers.get(name);
  if (existing !== undefined && existing.length >= length) return existing;
  const created = new Float64Array(Math.max(length, 2 * (existing?.length ?? 0)));
  buffers.set(name, created);
  return created;
}

const buffers32 = new Map<string, Float32Array>();

/** A Float32Array of at least `length` elements for `name` (contents are garbage on return). */
export function scratch32(name: string, length: number): Float32Array {
  const existing = buffers32.get(name);
  if (existing !== undefined && existing.length >= length) return existing;
  const created = new Float32Array(Math.max(length, 2 * (existing?.length ?? 0)));
  buffers32.set(name, created);
  return created;
}
