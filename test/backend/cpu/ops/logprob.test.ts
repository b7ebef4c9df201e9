import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/backend/rng';
import { tokenLogprobs } from '../../../../src/backend/cpu/ops/logprob';
import { F32_VS_F64, expectClose } from '../helpers/check';
import { naiveEntropy, naiveLogprob } from '../helpers/naiveLoss';
import { randomF32, randomTokens } from '../helpers/random';

const N = 10, V = 11;

describe('tokenLogprobs', () => {
  it('matches the naive log-softmax at the target and the entropy, even for large logits', () => {
    const rng = new Rng(1);
    const logits = randomF32(rng, N * V, 2);
    for (let v = 0; v < V; v++) logits[V + v] += 200; // row 1 would overflow exp without the max shift
    logits[2 * V + 3] = 40; // row 2 nearly one-hot: entropy ~ 0
    const targets = randomTokens(rng, N, V);
    const logp = new Float32Array(N), entropy = new Float32Array(N);
    tokenLogprobs(logp, entropy, logits, targets, N, V);
    const refLogp = Array.from({ length: N }, (_, n) => naiveLogprob(logits, n * V, V, targets[n]));
    const refEntropy = Array.from({ length: N }, (_, n) => naiveEntropy(logits, n * V, V));
    // atol 2e-5 for row 1: logits ~200 carry f32 spacing of 1.5e-5, which the log-softmax inherits.
    expectClose(logp, refLogp, { rtol: 1e-5, atol: 2e-5 }, 'logp');
    expectClose(entropy, refEntropy, F32_VS_F64, 'entropy');
    expect(entropy[2]).toBeLessThan(1e-6);
    const uniform = new Float32Array(1);
    tokenLogprobs(new Float32Array(1), uniform, new Float32Array(V), new Uint32Array(1), 1, V);
    expect(uniform[0]).toBeCloseTo(Math.log(V), 6);
  });

  it('throws on a target outside the vocabulary', () => {
    expect(() => tokenLogprobs(new Float32Array(1), new Float32Array(1), new Float32Array(V), new Uint32Array([V]), 1, V)).toThrow(/vocabulary/);
  });
});
