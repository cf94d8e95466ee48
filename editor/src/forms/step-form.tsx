import { useEditor } from '../editor/context.ts';
import { useT } from '../i18n/i18n.tsx';
import type { StepDef } from '../model/def.ts';
import { issuesUnder } from '../model/issues.ts';
import type { Path } from '../model/yaml-edit.ts';
import { SelectField, TextField } from './fields.tsx';
import { SchemaForm } from './schema-form.tsx';
import { TargetField } from './targets.tsx';

/** The engine says `"template" is required` at the `with` map itself; that belongs to the field. */
const REQUIRED = /"([^"]+)" is required/;

/** One step: its settings (a form from the plugin's JSON Schema), output name and error handling. */
export function StepForm({
  path,
  step,
  index,
  count,
  onMove,
  onRemove,
}: {
  path: Path;
  step: StepDef;
  index: number;
  count: number;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const { steps, issues, set, readOnly } = useEditor();
  const plugin = steps.find((s) => s.id === step.uses);
  const mine = issuesUnder(issues, path.join('.'));
  const withPath = [...path, 'with'].join('.');
  const errorOf = (field: string) => {
    const at = field ? `${withPath}.${field}` : withPath;
    const exact = mine.find((i) => i.path === at)?.message;
    if (exact) return exact;
    return mine.find(
      (i) => (i.path === withPath || i.path === path.join('.')) && REQUIRED.exec(i.message)?.[1] === field,
    )?.message;
  };
  const others = mine.filter(
    (i) =>
      !REQUIRED.test(i.message) &&
      (i.path === path.join('.') || i.path === withPath || i.path.endsWith('.uses')),
  );
  const onError = step.onError;
  const onErrorKind = typeof onError === 'object' ? 'next' : (onError ?? 'fail');
  return (
    <fieldset className="step-form" data-step={index}>
      <legend>
        {t('step.number', { n: index + 1 })}: {plugin?.title ?? step.uses}
      </legend>
      {plugin?.description && <p className="hint">{plugin.description}</p>}
      {others.map((i) => (
        <p key={i.message} className="error">
          {i.message}
        </p>
      ))}
      <SchemaForm
        schema={plugin?.configSchema ?? { type: 'object' }}
        value={(step.with as Record<string, unknown>) ?? {}}
        onChange={(v) => set([...path, 'with'], Object.keys(v).length ? v : undefined)}
        errorOf={errorOf}
        readOnly={readOnly}
      />
      <details>
        <summary>{t('step.more')}</summary>
        <TextField
          label={t('step.id')}
          hint={t('step.idHint')}
          value={step.id ?? ''}
          onChange={(v) => set([...path, 'id'], v || undefined)}
          error={mine.find((i) => i.path === [...path, 'id'].join('.'))?.message}
          readOnly={readOnly}
        />
        <SelectField
          label={t('step.onError')}
          value={onErrorKind}
          readOnly={readOnly}
          onChange={(v) =>
            set([...path, 'onError'], v === 'fail' ? undefined : v === 'next' ? { next: '' } : v)
          }
          options={[
            { value: 'fail', label: t('step.onErrorFail') },
            { value: 'continue', label: t('step.onErrorContinue') },
            { value: 'next', label: t('step.onErrorNext') },
          ]}
        />
        {typeof onError === 'object' && (
          <TargetField
            label={t('step.onErrorState')}
            value={onError.next ?? ''}
            onChange={(v) => set([...path, 'onError', 'next'], v)}
          />
        )}
      </details>
      {!readOnly && (
        <div className="row">
          <button type="button" className="small" disabled={index === 0} onClick={() => onMove(index - 1)}>
            {t('step.up')}
          </button>
          <button
            type="button"
            className="small"
            disabled={index === count - 1}
            onClick={() => onMove(index + 1)}
          >
            {t('step.down')}
          </button>
          <button type="button" className="small danger" onClick={onRemove}>
            {t('step.remove')}
          </button>
        </div>
      )}
    </fieldset>
  );
}
