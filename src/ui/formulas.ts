// The formulas of one GRPO step, written with the symbols the step view uses: every number there links to
// its entry here (the Learn page's "One step, formula by formula"). Text only, so the page needs no math
// renderer; the engine's code that computes each is named so a reader can check it.
export interface Formula {
  id: string; // anchor on the Learn page: #f-<name>
  symbol: string;
  name: string;
  math: string;
  body: string;
}

export const FORMULAS: readonly Formula[] = [
  { id: 'f-reward', symbol: 'rᵢ', name: 'observed reward', math: 'rᵢ = reward kind(oᵢ)   (clean: cᵢ = 1 if the answer is right, else 0)',
    body: "What the trainer is told about sample oᵢ. Verifiable: rᵢ = cᵢ. Flip: with probability p the group's rewards are turned over (rᵢ = 1 − cᵢ). Reward model: a simulated RM that is right with probability q. RPR: a score for reasoning patterns, never the answer. SRT: 1 if the answer equals the group's majority label. src/rl/rewards/." },
  { id: 'f-mean', symbol: 'mean_g', name: 'group mean', math: 'mean_g = (1/G) Σ_{i∈g} rᵢ', body: 'The mean observed reward of the G trained samples of one prompt (the group g).' },
  { id: 'f-std', symbol: 'std_g', name: 'group spread', math: 'std_g = √( Σ_{i∈g} (rᵢ − mean_g)² / (G − 1) )', body: "The standard deviation with Bessel's correction, as TRL computes it. A group whose rewards are all equal has std_g = 0 and gives no signal." },
  { id: 'f-advantage', symbol: 'Aᵢ', name: 'advantage', math: 'Aᵢ = (rᵢ − mean_g) / (std_g + ε),   ε = 10⁻⁴',
    body: "How much better sample i did than its group. scale_rewards = group divides by the group's std (so Σ_{i∈g} Aᵢ = 0), batch by the std of the whole batch, none by 1 (Dr. GRPO). src/rl/grpo.ts computeAdvantages." },
  { id: 'f-ratio', symbol: 'ρₜ', name: 'probability ratio', math: 'ρₜ = exp(log π_θ(oₜ) − log π_old(oₜ))',
    body: 'The new policy over the one that sampled, per token. With one update per batch (μ = 1) the loss uses π_old := π_θ detached, so ρₜ = 1 exactly and only its gradient counts; with μ > 1 it moves away from 1.' },
  { id: 'f-clip', symbol: 'clip', name: 'clipping', math: 'clipped when Aᵢ < 0 and ρₜ < 1 − ε_low, or Aᵢ > 0 and ρₜ > 1 + ε_high',
    body: 'Where the clip bites, the token gets no gradient: the update has already moved this token far enough in the direction the advantage asks.' },
  { id: 'f-token-loss', symbol: 'ℓₜ', name: 'token loss', math: 'ℓₜ = −min(ρₜ Aᵢ, clip(ρₜ, 1 − ε_low, 1 + ε_high) Aᵢ) + β k3ₜ,   k3ₜ = e^{Δ} − Δ − 1, Δ = log π_ref − log π_θ',
    body: "On-policy this is −Aᵢ (+ β k3ₜ). LTE's hinted samples use ℓₜ = −(ρₜ / (ρₜ + γ)) Aᵢ, unclipped. src/backend/cpu/ops/grpoLoss.ts grpoTokenTerms (the WGSL kernel is its twin)." },
  { id: 'f-weight', symbol: 'wₜ', name: 'token weight (loss aggregation)', math: 'dapo: wₜ = mₜ / Σ m    grpo: wₜ = mₜ / |oᵢ| / B    dr_grpo: wₜ = mₜ / (B · L_max)',
    body: 'mₜ is 1 for a token the policy sampled and 0 for a forced prefix token (DenoiseRL). dapo: Σ w = 1 over the batch; grpo: each sequence sums to 1/B; dr_grpo: a constant normaliser (B sequences, L_max = maxCompletionLength). LTE normalises its hinted part on its own. src/rl/grpo.ts lossWeights.' },
  { id: 'f-share', symbol: 'wₜ ℓₜ', name: "a token's share of the loss", math: 'wₜ ℓₜ,   Σₜ wₜ ℓₜ = L', body: "What each token adds to the step's loss; the shares sum to L." },
  { id: 'f-loss', symbol: 'L', name: 'the step loss', math: 'L = Σ_i Σ_t wₜ ℓₜ', body: 'The one number the backward pass differentiates.' },
  { id: 'f-gradnorm', symbol: '‖g‖', name: 'gradient norm', math: '‖g‖ = √( Σ_j (∂L/∂θ_j)² ),   g ← g · min(1, c / ‖g‖)',
    body: 'Measured before clipping; c = maxGradNorm. AdamW then takes the clipped gradient.' },
  { id: 'f-delta', symbol: 'Δ log p', name: 'what the update did to a sample', math: 'Δ log pᵢ = Σₜ (log π_θ′(oₜ) − log π_θ(oₜ)),   p′/p = e^{Δ log pᵢ}',
    body: 'The change in the log-probability of the sampled answer, over its trained tokens, from before to after the update (θ′), on the same tokens. A positive advantage should push it up, a negative one down.' },
];

/** Go to a formula on the Learn page (the step view's links). */
export const formulaHref = (id: string) => `#${id}`;
