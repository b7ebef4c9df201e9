import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/backend/rng';
import { accumulate, residualForward } from '../../../../src/backend/cpu/ops/residual';
import { F32_VS_F64, expectClose } from '../helpers/check';
import { randomF32 } from '../helpers/random';

const N = 23;

describe('residualForward / accumulate', () => {
  it('out = a + b and dst += src, only over the first N elements', () => {
    const rng = new Rng(1);
    const a = randomF32(rng, N + 3), b = randomF32(rng, N + 3);
    const out = new Float32Array(N + 3).fill(7);
    residualForward(out, a, b, N);
    expectClose(out.subarray(0, N), Array.from(a.subarray(0, N), (x, i) => x + b[i]), F32_VS_F64, 'a + b');
    expect(Array.from(out.subarray(N))).toEqual([7, 7, 7]);

    const dst = Float32Array.from(a);
    accumulate(dst, b, N);
    accumulate(dst, b, N);
    expectClose(dst.subarray(0, N), Array.from(a.subarray(0, N), (x, i) => x + 2 * b[i]), F32_VS_F64, 'dst += src twice');
    expect(Array.from(dst.subarray(N))).toEqual(Array.from(a.subarray(N)));
  });
});
