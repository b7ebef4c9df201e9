// Learn: what each method does and how to read each chart, for a class or a curious afternoon.
import { METHOD_ABOUT } from '../../rl/methods/about';
import { REWARD_ABOUT } from '../../rl/rewards/about';
import { CHARTS } from '../charts/catalog';
import { FORMULAS } from '../formulas';

// The methods' and reward kinds' own sections, from their About: GRPO first (the base), then the rewards,
// then the other methods.
const [base, ...others] = METHOD_ABOUT.map((m) => m.learn);
const METHODS = [base, ...REWARD_ABOUT.map((r) => r.learn), ...others].filter((x) => x !== null).map((x) => ({ name: x.title, body: x.body, here: x.here }));

const READING: Record<string, string> = {
  recovery: 'The share of right answers when the model must continue from a wrong prefix. The gap is accuracy without a prefix minus accuracy with one: a model that can recover closes the gap. Train values exist only for DenoiseRL; held-out values are measured at every evaluation for every method.',
  reward: 'Observed is what the trainer saw, clean is the truth. With clean rewards the two lines are one. With flipped rewards observed is pulled toward 0.5 while clean can still rise: that rise is the point of the noisy-reward experiments.',
  passk: 'Pass@k: sample n answers per held-out problem and ask whether at least one of k is right. Pass@1 is plain accuracy; a large k shows what the model can reach at all. RL often raises Pass@1 more than Pass@n: it sharpens what the model already knew.',
  'pass-steps': 'Pass@1 and Pass@n through training. Greedy accuracy (always the likeliest token) usually climbs faster than sampled Pass@1.',
  stagnation: 'None-pass groups give no learning signal; their share falling means the model finds at least one right answer more often. Solved is the share of the training problems that have ever been solved.',
  kl: 'How far the policy has moved from where it started, per token (only logged when beta > 0).',
  entropy: 'How unsure the policy is at each token. A fast collapse to zero means the model stopped exploring.',
  length: 'Longer traces can mean more careful work, or rambling. Retractions make traces longer too.',
  clip: 'The share of tokens whose update was clipped by the PPO ratio limits; zero with one update per batch of samples.',
};

export function LearnPage() {
  return (
    <article className="learn">
      <h2>How a model learns from its own mistakes</h2>
      <p>
        Every problem here is a small calculation written out step by step, like <span className="mono">347+285=</span>{' '}
        <span className="mono">7+5+0=12;4+8+1=13;3+2+1=06;&gt;632</span>. A checker judges each step, so the lab knows
        exactly where an answer first went wrong, whether the model took it back with <span className="mono">!</span>,
        and whether it recovered. The model is a tiny transformer that starts out weak, then trains by reinforcement
        learning on its own attempts. The methods below differ in what it is told about those attempts.
      </p>
      <h3>The methods</h3>
      {METHODS.map((m) => (
        <section key={m.name}>
          <h4>{m.name}</h4>
          <p>{m.body}</p>
          {m.here && <p className="learn-here">{m.here}</p>}
        </section>
      ))}
      <h3 id="formulas">One step, formula by formula</h3>
      <p>
        The step view lays one training step open; each of its numbers links here. The symbols are the same: sample i
        of group g, token t of its completion oᵢ.
      </p>
      <dl className="formulas">
        {FORMULAS.map((f) => (
          <div key={f.id}>
            <dt id={f.id}>{f.symbol}: {f.name}</dt>
            <dd><span className="math">{f.math}</span><br />{f.body}</dd>
          </div>
        ))}
      </dl>
      <h3>Reading the charts</h3>
      <dl className="chart-guide">
        {CHARTS.map((c) => (
          <div key={c.id}>
            <dt>{c.title}</dt>
            <dd>{READING[c.id] ?? c.reading ?? c.help}</dd>
          </div>
        ))}
      </dl>
      <h3>Reading a trace</h3>
      <p>
        In the inspector each character is coloured by how unlikely the model found it (orange) or by the sample's
        advantage (green helped, red hurt). The first wrong step is outlined in red, retracted steps are struck
        through, and the recovery point, a retraction that replaced a wrong step by a right one, is outlined in
        green. A striped background is a forced noisy prefix; a violet span is an LTE hint. A flipped badge means
        the trainer was told the opposite of the truth. Two flags mark what an outcome reward cannot see: right for the wrong reason (a wrong
        step that was never taken back, and still the right answer) and a wrong conclusion after steps that were
        all right. Pick any kept step with the slider; each filter says how many traces it holds.
      </p>
      <h3>Try this</h3>
      <ul>
        <li>Run the clean GRPO preset, then the 40% flips preset with the same seed, and overlay them in Runs.</li>
        <li>Run SRT for a while and watch pseudo-label accuracy against clean accuracy.</li>
        <li>Pin a problem in the inspector and watch its answers change from step to step.</li>
        <li>Open the Step view while a run trains and follow one sample from its reward to its advantage, its tokens' weights and what the update did to it.</li>
      </ul>
    </article>
  );
}
