import { parseDuration } from '@tend/plugin-sdk/time';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { useT } from '../i18n/i18n.tsx';

interface Common {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean | undefined;
  readOnly?: boolean | undefined;
}

/** A labelled field with its hint and its error, wired for screen readers. */
export function Field({
  label,
  hint,
  error,
  required,
  children,
}: Common & { children: (id: string, describedBy: string | undefined) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${error ? 'field-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      {children(id, describedBy)}
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="error">
          {error}
        </p>
      )}
    </div>
  );
}

export function TextField(
  props: Common & {
    value: string;
    onChange: (v: string) => void;
    multiline?: boolean;
    placeholder?: string;
    list?: string;
  },
) {
  const { value, onChange, multiline, placeholder, required, readOnly, error, list } = props;
  return (
    <Field {...props}>
      {(id, describedBy) =>
        multiline ? (
          <textarea
            id={id}
            value={value}
            rows={3}
            placeholder={placeholder}
            required={required}
            readOnly={readOnly}
            aria-invalid={!!error}
            aria-describedby={describedBy}
            onChange={(e) => onChange(e.target.value)}
          />
        ) : (
          <input
            id={id}
            value={value}
            placeholder={placeholder}
            required={required}
            readOnly={readOnly}
            list={list}
            aria-invalid={!!error}
            aria-describedby={describedBy}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}

/** A number typed freely (so "1." and "" can be typed), committed when it is a number. */
export function NumberField(
  props: Common & {
    value: number | undefined;
    onChange: (v: number | undefined) => void;
    integer?: boolean;
    min?: number;
    max?: number;
  },
) {
  const { value, onChange, integer, min, max, required, readOnly, error } = props;
  const [raw, setRaw] = useState(value === undefined ? '' : String(value));
  useEffect(() => {
    if (Number(raw) !== value) setRaw(value === undefined ? '' : String(value));
  }, [value, raw]);
  return (
    <Field {...props}>
      {(id, describedBy) => (
        <input
          id={id}
          type="number"
          inputMode={integer ? 'numeric' : 'decimal'}
          step={integer ? 1 : 'any'}
          min={min}
          max={max}
          value={raw}
          required={required}
          readOnly={readOnly}
          aria-invalid={!!error}
          aria-describedby={describedBy}
          onChange={(e) => {
            setRaw(e.target.value);
            if (e.target.value === '') onChange(undefined);
            else if (!Number.isNaN(Number(e.target.value))) onChange(Number(e.target.value));
          }}
        />
      )}
    </Field>
  );
}

export function SelectField(
  props: Common & {
    value: string;
    onChange: (v: string) => void;
    options: { value: string; label: string }[];
    empty?: string;
  },
) {
  const { value, onChange, options, empty, required, readOnly, error } = props;
  return (
    <Field {...props}>
      {(id, describedBy) => (
        <select
          id={id}
          value={value}
          required={required}
          disabled={readOnly}
          aria-invalid={!!error}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
        >
          {empty !== undefined && <option value="">{empty}</option>}
          {!options.some((o) => o.value === value) && value !== '' && <option value={value}>{value}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CheckboxField({
  label,
  value,
  onChange,
  readOnly,
}: {
  label: string;
  value: boolean;
  onChange: (v: boolean) => void;
  readOnly?: boolean | undefined;
}) {
  return (
    <label className="check field">
      <input
        type="checkbox"
        checked={value}
        disabled={readOnly}
        onChange={(e) => onChange(e.target.checked)}
      />
      {label}
    </label>
  );
}

/** A duration (`30s 15m 2h 7d 2w`, `P7D`), checked as it is typed with the engine's own parser. */
export function DurationField(props: Common & { value: string; onChange: (v: string) => void }) {
  const t = useT();
  const check = props.value.trim() ? parseDuration(props.value) : null;
  const error = props.error ?? (check && !check.ok ? check.message : undefined);
  const hint = check?.ok
    ? t('field.durationIs', { text: humanDuration(check.ms, t) })
    : (props.hint ?? t('field.durationHint'));
  return <TextField {...props} error={error} hint={hint} placeholder="2d" />;
}

function humanDuration(ms: number, t: ReturnType<typeof useT>): string {
  const units: [number, 'unit.week' | 'unit.day' | 'unit.hour' | 'unit.minute' | 'unit.second'][] = [
    [604_800_000, 'unit.week'],
    [86_400_000, 'unit.day'],
    [3_600_000, 'unit.hour'],
    [60_000, 'unit.minute'],
    [1000, 'unit.second'],
  ];
  const parts: string[] = [];
  let rest = ms;
  for (const [size, key] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(t(key, { n }));
    rest -= n * size;
  }
  return parts.join(' ') || t('unit.second', { n: 0 });
}

/** A list of words (tags, weekdays…) typed comma-separated. */
export function ListField(props: Common & { value: string[]; onChange: (v: string[]) => void }) {
  const [raw, setRaw] = useState(props.value.join(', '));
  useEffect(() => {
    if (split(raw).join(',') !== props.value.join(',')) setRaw(props.value.join(', '));
  }, [props.value, raw]);
  return (
    <TextField
      {...props}
      value={raw}
      onChange={(v) => {
        setRaw(v);
        props.onChange(split(v));
      }}
    />
  );
}

const split = (v: string) =>
  v
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);
