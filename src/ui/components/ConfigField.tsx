// One config field: a select, a checkbox or a number box. What it shows is the config's value, or the
// person's draft with the reason it is not in the config (and Start is off until it is: see form.ts).
import { useEffect, useId, useState } from 'react';
import type { RunConfig } from '../../run/config';
import { fieldKind, VALUE_LABELS, type FieldKey } from '../fields';
import type { FieldDraft } from '../form';

interface Props {
  field: FieldKey;
  label: string;
  help: string;
  value: RunConfig[FieldKey];
  draft: FieldDraft | undefined;
  disabled: boolean;
  options?: readonly (string | number)[]; // restrict an enum or an integer to these choices
  onChange(key: FieldKey, value: unknown): void;
}

export function ConfigField({ field, label, help, value, draft, disabled, options, onChange }: Props) {
  const id = useId();
  const kind = fieldKind(field);
  const shownText = draft ? draft.text : String(value);
  // the number box keeps what is typed ("0." on the way to "0.05") while it means the config's value
  const [text, setText] = useState(shownText);
  useEffect(() => {
    setText((t) => (draft ? draft.text : Number(t) === value && t.trim() !== '' ? t : String(value)));
  }, [value, draft]);
  const error = draft?.error ?? null;

  let input;
  if (options || kind.kind === 'enum') {
    const opts = options ?? (kind.kind === 'enum' ? kind.options : []);
    input = (
      <select id={id} value={shownText} disabled={disabled} aria-describedby={`${id}-help`} aria-invalid={error !== null}
        onChange={(e) => onChange(field, e.target.value)}>
        {opts.map((o) => <option key={o} value={String(o)}>{VALUE_LABELS[String(o)] ?? String(o)}</option>)}
      </select>
    );
  } else if (kind.kind === 'bool') {
    const checked = draft ? draft.value === true : value === true;
    input = <input id={id} type="checkbox" checked={checked} disabled={disabled} aria-describedby={`${id}-help`} aria-invalid={error !== null} onChange={(e) => onChange(field, e.target.checked)} />;
  } else {
    input = (
      <input id={id} type="text" inputMode="decimal" value={text} disabled={disabled} aria-invalid={error !== null}
        aria-describedby={`${id}-help`} spellCheck={false}
        onChange={(e) => { setText(e.target.value); onChange(field, e.target.value); }} />
    );
  }
  return (
    <div className={`field field-${kind.kind}`}>
      <label htmlFor={id}>{label}</label>
      {input}
      <p className="field-help" id={`${id}-help`}>{error ? <span className="field-error">{label}: {error}</span> : help}</p>
    </div>
  );
}
