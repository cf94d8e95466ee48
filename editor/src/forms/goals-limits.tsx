import { useEditor } from '../editor/context.ts';
import { useT } from '../i18n/i18n.tsx';
import { CelField } from './cel-field.tsx';
import { DurationField, NumberField, TextField } from './fields.tsx';
import { useErrorAt } from './targets.tsx';

/** Exit goals: an event that ends the run wherever it is, with an outcome (conversion counts these). */
export function GoalsForm() {
  const t = useT();
  const { def, set, readOnly } = useEditor();
  const errorAt = useErrorAt();
  return (
    <section className="form-section" aria-labelledby="goals-title">
      <h3 id="goals-title">{t('goals.title')}</h3>
      <p className="hint">{t('goals.hint')}</p>
      {def.exit.map((goal, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: goals are positional
        <fieldset key={i} className="branch">
          <legend>{t('goals.number', { n: i + 1 })}</legend>
          <TextField
            label={t('goals.event')}
            value={goal.event ?? ''}
            onChange={(v) => set(['exit', i, 'event'], v)}
            error={errorAt(['exit', i, 'event'])}
            readOnly={readOnly}
            required
          />
          <TextField
            label={t('goals.outcome')}
            value={goal.outcome ?? ''}
            onChange={(v) => set(['exit', i, 'outcome'], v)}
            error={errorAt(['exit', i, 'outcome'])}
            readOnly={readOnly}
            required
          />
          <CelField
            label={t('goals.where')}
            value={goal.where ?? ''}
            onChange={(v) => set(['exit', i, 'where'], v || undefined)}
            def={def}
            serverError={errorAt(['exit', i, 'where'])}
            readOnly={readOnly}
            required={false}
          />
          {!readOnly && (
            <button
              type="button"
              className="small danger"
              onClick={() =>
                set(['exit'], def.exit.length === 1 ? undefined : def.exit.filter((_, j) => j !== i))
              }
            >
              {t('goals.remove')}
            </button>
          )}
        </fieldset>
      ))}
      {!readOnly && (
        <button
          type="button"
          className="small"
          onClick={() => set(['exit'], [...def.exit, { event: 'order.placed', outcome: 'converted' }])}
        >
          {t('goals.add')}
        </button>
      )}
    </section>
  );
}

/** Quiet hours (sends wait until they end) and a frequency cap (capped sends are skipped). */
export function LimitsForm() {
  const t = useT();
  const { def, set, readOnly } = useEditor();
  const errorAt = useErrorAt();
  const quiet = def.limits.quietHours;
  const cap = def.limits.frequencyCap;
  const drop = (key: 'quietHours' | 'frequencyCap') => {
    const rest = Object.keys(def.limits).filter((k) => k !== key);
    set(rest.length ? ['limits', key] : ['limits'], undefined);
  };
  return (
    <section className="form-section" aria-labelledby="limits-title">
      <h3 id="limits-title">{t('limits.title')}</h3>
      <label className="check field">
        <input
          type="checkbox"
          disabled={readOnly}
          checked={!!quiet}
          onChange={(e) =>
            e.target.checked
              ? set(['limits', 'quietHours'], { from: '21:00', to: '08:00' })
              : drop('quietHours')
          }
        />
        {t('limits.quietHours')}
      </label>
      {quiet && (
        <div className="row">
          <TextField
            label={t('limits.from')}
            value={quiet.from ?? ''}
            onChange={(v) => set(['limits', 'quietHours', 'from'], v)}
            error={errorAt(['limits', 'quietHours', 'from'])}
            readOnly={readOnly}
            placeholder="21:00"
          />
          <TextField
            label={t('limits.to')}
            value={quiet.to ?? ''}
            onChange={(v) => set(['limits', 'quietHours', 'to'], v)}
            error={errorAt(['limits', 'quietHours', 'to'])}
            readOnly={readOnly}
            placeholder="08:00"
          />
        </div>
      )}
      <label className="check field">
        <input
          type="checkbox"
          disabled={readOnly}
          checked={!!cap}
          onChange={(e) =>
            e.target.checked
              ? set(['limits', 'frequencyCap'], { messages: 3, per: '7d' })
              : drop('frequencyCap')
          }
        />
        {t('limits.cap')}
      </label>
      {cap && (
        <div className="row">
          <NumberField
            label={t('limits.messages')}
            integer
            min={1}
            value={cap.messages}
            onChange={(v) => set(['limits', 'frequencyCap', 'messages'], v)}
            error={errorAt(['limits', 'frequencyCap', 'messages'])}
            readOnly={readOnly}
          />
          <DurationField
            label={t('limits.per')}
            value={cap.per ?? ''}
            onChange={(v) => set(['limits', 'frequencyCap', 'per'], v)}
            error={errorAt(['limits', 'frequencyCap', 'per'])}
            readOnly={readOnly}
          />
        </div>
      )}
    </section>
  );
}
