// One config field: a select, a checkbox or a number box that accepts a value only when the schema does.
import { useEffect, useId, useState } from 'react';
import { coerceField, RunConfigSchema, type RunConfig } from '../../run/config';
import { fieldKind, VALUE_LABELS, type FieldKey } from '../fields';

interface Props {
  field: FieldKey;
  label: string;
  help: string;
  value: RunConfig[FieldKey];
  disabled: boolean;
  options?: readonly (string | number)[]; // restrict an enum or an integer to these choices
  onChange(key: FieldKey, value: unknown): void;
}

const shape = RunConfigSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;

export function ConfigField({ field, label, help, value, disabled, options, onChange }: Props) {
  const id = useId();
  const kind = fieldKind(field);
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(String(value));
    setError(null);
  }, [value]);

  let input;
  if (options || kind.kind === 'enum') {
    const opts = options ?? (kind.kind === 'enum' ? kind.options : []);
    input = (
      <select id={id} value={String(value)} disabled={disabled} aria-describedby={`${id}-help`}
        onChange={(e) => onChange(field, coerceField(field, e.target.value))}>
        {opts.map((o) => <option key={o} value={String(o)}>{VALUE_LABELS[String(o)] ?? String(o)}</option>)}
      </select>
    );
  } else if (kind.kind === 'bool') {
    input = <input id={id} type="checkbox" checked={value === true} disabled={disabled} aria-describedby={`${id}-help`} onChange={(e) => onChange(field, e.target.checked)} />;
  } else {
    const commit = (raw: string) => {
      let v: unknown;
      try {
        v = coerceField(field, raw);
      } catch {
        v = undefined;
      }
      if (v === undefined || !shape[field].safeParse(v).success) {
        setError(`${kind.integer ? 'An integer' : 'A number'} from ${kind.min} to ${kind.max}`);
        return;
      }
      setError(null);
      if (v !== value) onChange(field, v);
    };
    input = (
      <input id={id} type="text" inputMode="decimal" value={text} disabled={disabled} aria-invalid={error !== null}
        aria-describedby={`${id}-help`} spellCheck={false}
        onChange={(e) => setText(e.target.value)} onBlur={(e) => commit(e.target.value)}
        onKeyDown={(e) => { if (e.key === 'Enter') commit((e.target as HTMLInputElement).value); }} />
    );
  }
  return (
    <div className={`field field-${kind.kind}`}>
      <label htmlFor={id}>{label}</label>
      {input}
      <p className="field-help" id={`${id}-help`}>{error ? <span className="field-error">{error}</span> : help}</p>
    </div>
  );
}
