import { useId } from 'react';
import { parse as parseYaml, stringify } from 'yaml';
import { useT } from '../i18n/i18n.tsx';

/** A value typed as text: `true`, `42` and `[a, b]` become what they say, anything else stays text. */
export function fromText(text: string): unknown {
  try {
    const v = parseYaml(text);
    return v === null || v === undefined ? text : v;
  } catch {
    return text;
  }
}

export const toText = (v: unknown) => (typeof v === 'string' ? v : stringify(v, { flow: true }).trim());

/** Names and values (run variables, event data, customer attributes), one row each. */
export function KeyValueField({
  label,
  value,
  onChange,
  readOnly,
  error,
}: {
  label: string;
  value: Record<string, unknown>;
  onChange: (v: Record<string, unknown>) => void;
  readOnly?: boolean | undefined;
  error?: string | undefined;
}) {
  const t = useT();
  const id = useId();
  const rows = Object.entries(value);
  const update = (i: number, key: string, text: unknown) => {
    const next = rows.map(([k, v], j) => (j === i ? [key, text] : [k, v]));
    onChange(Object.fromEntries(next));
  };
  return (
    <fieldset className="field key-value">
      <legend>{label}</legend>
      {rows.map(([k, v], i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a row keeps its place while its name is typed
        <div className="kv-row" key={i}>
          <input
            aria-label={t('field.kvName', { n: i + 1 })}
            value={k}
            readOnly={readOnly}
            onChange={(e) => update(i, e.target.value, v)}
            id={`${id}-k${i}`}
          />
          <input
            aria-label={t('field.kvValue', { n: i + 1 })}
            value={toText(v)}
            readOnly={readOnly}
            onChange={(e) => update(i, k, fromText(e.target.value))}
          />
          {!readOnly && (
            <button
              type="button"
              className="icon"
              aria-label={t('field.kvRemove', { name: k || String(i + 1) })}
              onClick={() => onChange(Object.fromEntries(rows.filter((_, j) => j !== i)))}
            >
              ×
            </button>
          )}
        </div>
      ))}
      {!readOnly && (
        <button type="button" className="small" onClick={() => onChange({ ...value, [nextName(value)]: '' })}>
          {t('field.kvAdd')}
        </button>
      )}
      {error && <p className="error">{error}</p>}
    </fieldset>
  );
}

function nextName(value: Record<string, unknown>): string {
  for (let i = 1; ; i++) if (!(`name${i}` in value)) return `name${i}`;
}
