import { useEffect, useState } from 'react';
import { useEditor } from '../editor/context.ts';
import { useT } from '../i18n/i18n.tsx';
import { STATE_NAME } from '../model/names.ts';
import { appendStep, renameState } from '../model/ops.ts';
import { ExitForm } from './exit-form.tsx';
import { TextField } from './fields.tsx';
import { StepForm } from './step-form.tsx';
import { WaitForm } from './wait-form.tsx';

/** Everything about one state: name, steps, wait and how it leaves. */
export function StateForm({
  name,
  onRenamed,
  onDelete,
}: {
  name: string;
  onRenamed: (to: string) => void;
  onDelete: () => void;
}) {
  const t = useT();
  const { def, journey, set, steps, readOnly } = useEditor();
  const state = def.states[name];
  const [newName, setNewName] = useState(name);
  const [adding, setAdding] = useState('');
  useEffect(() => setNewName(name), [name]);
  if (!state) return null;
  const list = state.steps ?? [];
  const nameProblem =
    newName === name
      ? undefined
      : !STATE_NAME.test(newName)
        ? t('state.nameRule')
        : newName in def.states
          ? t('state.nameTaken')
          : undefined;

  const rename = () => {
    if (newName === name || nameProblem) return;
    const key = `rename-${name}-${newName}`;
    journey.edit((doc, d) => {
      renameState(doc, d, name, newName);
    }, key);
    journey.replaceMoved(
      Object.fromEntries(Object.entries(journey.moved).map(([k, v]) => [k === name ? newName : k, v])),
      key,
    );
    onRenamed(newName);
  };
  const move = (from: number, to: number) => {
    const next = [...list];
    const [item] = next.splice(from, 1);
    if (item) next.splice(to, 0, item);
    set(['states', name, 'steps'], next);
  };

  return (
    <div className="state-form">
      <h2>{t('state.title', { name })}</h2>
      <div className="row align-end">
        <TextField
          label={t('state.name')}
          value={newName}
          onChange={setNewName}
          error={nameProblem}
          readOnly={readOnly}
          hint={t('state.nameHint')}
        />
        {!readOnly && (
          <button type="button" onClick={rename} disabled={newName === name || !!nameProblem}>
            {t('state.rename')}
          </button>
        )}
      </div>
      <TextField
        label={t('state.description')}
        value={state.description ?? ''}
        onChange={(v) => set(['states', name, 'description'], v || undefined)}
        readOnly={readOnly}
        multiline
      />
      <section className="form-section" aria-labelledby={`steps-${name}`}>
        <h3 id={`steps-${name}`}>{t('state.steps')}</h3>
        {list.length === 0 && <p className="muted">{t('state.noSteps')}</p>}
        {list.map((step, i) => (
          <StepForm
            // biome-ignore lint/suspicious/noArrayIndexKey: steps are positional
            key={i}
            path={['states', name, 'steps', i]}
            step={step}
            index={i}
            count={list.length}
            onMove={(to) => move(i, to)}
            onRemove={() =>
              set(['states', name, 'steps'], list.length === 1 ? undefined : list.filter((_, j) => j !== i))
            }
          />
        ))}
        {!readOnly && (
          <div className="row align-end">
            <label className="field">
              {t('state.addStep')}
              <select value={adding} onChange={(e) => setAdding(e.target.value)}>
                <option value="">{t('field.choose')}</option>
                {steps.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.title} ({s.id})
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              disabled={!adding}
              onClick={() => {
                journey.edit((doc) => {
                  appendStep(doc, name, adding);
                });
                setAdding('');
              }}
            >
              {t('state.add')}
            </button>
          </div>
        )}
      </section>
      {state.end === undefined && <WaitForm name={name} state={state} />}
      <ExitForm name={name} state={state} />
      {!readOnly && (
        <button type="button" className="danger" onClick={onDelete}>
          {t('state.delete')}
        </button>
      )}
    </div>
  );
}
