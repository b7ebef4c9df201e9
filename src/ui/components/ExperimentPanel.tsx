// The experiment: preset, task, method and its knobs, sizes and optimiser settings, the backend.
import { useId } from 'react';
import { configFields, type RunConfig } from '../../run/config';
import { PRESETS } from '../../run/presets';
import { TASK_ABOUT } from '../../tasks/about';
import { isSmallDevice, SMALL_DEVICE } from '../config';
import { knobsFor, MAIN_FIELDS, methodHasKnobs, type FieldKey } from '../fields';
import { presetLabel } from '../form';
import { canEdit, useLab } from '../store/labStore';
import type { BackendChoice } from '../../worker/protocol';
import { ConfigField } from './ConfigField';
import { useLabController } from './LabContext';

const sizedForDevice = (c: RunConfig) =>
  (Object.keys(SMALL_DEVICE) as (keyof RunConfig)[]).every((k) => k === 'denoisePoolProblems' || c[k] === SMALL_DEVICE[k]);

export function ExperimentPanel() {
  const lab = useLabController();
  const config = useLab((s) => s.config);
  const drafts = useLab((s) => s.drafts);
  const presetBase = useLab((s) => s.presetBase);
  const backend = useLab((s) => s.backend);
  const backendChoice = useLab((s) => s.backendChoice);
  const editable = useLab(canEdit);
  const busy = useLab((s) => s.status === 'running' || s.status === 'loading');
  const presetId = useId();
  const backendId = useId();
  const { exact: preset, label: customLabel } = presetLabel(config, presetBase, backend);
  const presetInfo = PRESETS.find((p) => p.name === preset);
  const change = (key: FieldKey, value: unknown) => lab.editField(key, value);
  const knobs = knobsFor(config);
  const shown = new Set<string>([...MAIN_FIELDS, ...knobs].map((x) => x.key));
  const rest = configFields().filter((x) => !shown.has(x.key));
  const field = (key: FieldKey, label: string, help: string) => (
    <ConfigField key={key} field={key} label={label} help={help} value={config[key]} draft={drafts[key]} disabled={!editable} onChange={change}
      options={key === 'difficulty' ? TASK_ABOUT[config.task]?.difficulties : undefined} />
  );

  return (
    <section className="panel experiment" aria-labelledby="experiment-h">
      <h2 id="experiment-h">Experiment</h2>
      {!editable && <p className="note">The experiment is fixed while a run exists. Reset to change it (the run stays saved).</p>}
      <div className="field">
        <label htmlFor={presetId}>Preset</label>
        <select id={presetId} value={preset ?? ''} disabled={!editable} onChange={(e) => e.target.value && lab.applyPreset(e.target.value)}>
          {!preset && <option value="">{customLabel}</option>}
          {PRESETS.map((p) => <option key={p.name} value={p.name}>{p.title}</option>)}
        </select>
        <p className="field-help">{presetInfo ? presetInfo.description : presetBase ? 'The preset, with your changes.' : 'Your own mix of settings.'}</p>
      </div>
      {isSmallDevice(backend) && (
        <p className="device-note" data-testid="small-device">
          {sizedForDevice(config)
            ? `Sized for this ${backend?.kind === 'cpu' ? 'CPU backend' : 'software GPU'}: the weak model, 4 prompts × 4 samples, a lighter evaluation.`
            : `On this ${backend?.kind === 'cpu' ? 'CPU backend' : 'software GPU'} keep experiments small (the lab's default: the weak model, 4 prompts × 4 samples).`}
        </p>
      )}
      <div className="fields">
        {MAIN_FIELDS.map((x) => field(x.key, x.label, x.help))}
      </div>
      {knobs.length > 0 && (
        <fieldset className="knobs">
          <legend>{methodHasKnobs(config) ? 'Method knobs' : 'Reward knobs'}</legend>
          {knobs.map((x) => field(x.key, x.label, x.help))}
        </fieldset>
      )}
      <details className="all-settings">
        <summary>All settings ({rest.length} more)</summary>
        {rest.map((x) => field(x.key as FieldKey, x.key, `${x.allowed}; default ${String(x.default)}`))}
      </details>
      <div className="field">
        <label htmlFor={backendId}>Backend</label>
        <select id={backendId} value={backendChoice} disabled={busy} onChange={(e) => void lab.useBackend(e.target.value as BackendChoice)}>
          <option value="auto">Auto (WebGPU if it works)</option>
          <option value="webgpu">WebGPU</option>
          <option value="cpu">CPU (plain TypeScript)</option>
        </select>
        <p className="field-help">Where the model trains. Not part of the experiment: results match across backends.</p>
      </div>
    </section>
  );
}
