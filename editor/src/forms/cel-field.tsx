import { checkCel } from '@tend/plugin-sdk/cel';
import { useId, useRef } from 'react';
import { useT } from '../i18n/i18n.tsx';
import type { DraftDef } from '../model/def.ts';

/** The variables a condition may use in this journey: the four CEL roots, run vars and step outputs. */
export function celVariables(def: DraftDef): string[] {
  const vars = new Set<string>();
  const steps = new Set<string>();
  for (const state of Object.values(def.states)) {
    for (const step of state.steps ?? []) {
      if (step.id) steps.add(step.id);
      const values =
        step.uses === 'core.set' ? (step.with?.values as Record<string, unknown> | undefined) : undefined;
      for (const name of Object.keys(values ?? {})) vars.add(name);
    }
  }
  return [
    'customer.id',
    'customer.attributes.',
    'customer.tags',
    'customer.timezone',
    'event.type',
    'event.data.',
    ...[...vars].map((v) => `run.vars.${v}`),
    ...[...steps].map((s) => `run.steps.${s}`),
    'run.key',
    'now',
  ];
}

/**
 * A CEL expression, parsed as it is typed with the engine's own CEL environment (so the error is
 * the one the engine would give), with the variables it may use a click away.
 */
export function CelField({
  label,
  value,
  onChange,
  def,
  serverError,
  readOnly,
  required = true,
  testId,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  def: DraftDef;
  serverError?: string | undefined;
  readOnly?: boolean | undefined;
  required?: boolean;
  testId?: string;
}) {
  const t = useT();
  const id = useId();
  const input = useRef<HTMLTextAreaElement>(null);
  const check =
    value.trim() === ''
      ? required
        ? { ok: false as const, message: t('cel.empty') }
        : { ok: true as const }
      : checkCel(value);
  const error = check.ok ? serverError : check.message;
  const insert = (variable: string) => {
    const el = input.current;
    const at = el?.selectionStart ?? value.length;
    const next = value.slice(0, at) + variable + value.slice(el?.selectionEnd ?? at);
    onChange(next);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + variable.length, at + variable.length);
    });
  };
  return (
    <div className={`field cel-field ${error ? 'field-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        ref={input}
        className="code"
        rows={2}
        spellCheck={false}
        value={value}
        readOnly={readOnly}
        aria-invalid={!!error}
        aria-describedby={`${id}-status`}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
      />
      <p id={`${id}-status`} className={error ? 'error' : 'hint ok'} aria-live="polite">
        {error ? `${t('cel.error')}: ${error}` : t('cel.ok')}
      </p>
      {!readOnly && (
        <details className="variables">
          <summary>{t('cel.variables')}</summary>
          <ul>
            {celVariables(def).map((v) => (
              <li key={v}>
                <button type="button" className="chip" onClick={() => insert(v)}>
                  {v}
                </button>
              </li>
            ))}
          </ul>
          <p className="hint">{t('cel.examples')}</p>
        </details>
      )}
    </div>
  );
}
