import { withinOf } from '../canvas/summaries.ts';
import { useEditor } from '../editor/context.ts';
import { useT } from '../i18n/i18n.tsx';
import { awaitedEvents, type StateDef, waitKind } from '../model/def.ts';
import type { Path } from '../model/yaml-edit.ts';
import { CelField } from './cel-field.tsx';
import { DurationField, ListField, SelectField, TextField } from './fields.tsx';
import { useErrorAt } from './targets.tsx';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * A state's wait: none, for events (with a timeout), a delay, until a time, a local time of day,
 * or the customer's best time within a window.
 */
export function WaitForm({ name, state }: { name: string; state: StateDef }) {
  const t = useT();
  const { def, set, readOnly } = useEditor();
  const errorAt = useErrorAt();
  const base: Path = ['states', name, 'wait'];
  const kind = waitKind(state.wait) ?? '';
  const wait = (state.wait ?? {}) as Record<string, unknown>;

  const switchTo = (next: string) => {
    const stateNow = def.states[name] ?? {};
    if (next === '') set(base, undefined);
    else if (next === 'event') set(base, { event: 'message.clicked', timeout: '3d' });
    else if (next === 'for') set(base, { for: '1d' });
    else if (next === 'until') set(base, { until: 'now + duration("24h")' });
    else if (next === 'bestTime') set(base, { bestTime: 'within 24h' });
    else set(base, { at: '09:00' });
    // A wait for events leaves through `on`; a delay through next, choose or split.
    if (next === 'event' && stateNow.on === undefined) set(['states', name, 'on'], {});
    if (next !== 'event' && stateNow.on !== undefined) set(['states', name, 'on'], undefined);
  };

  return (
    <section className="form-section" aria-labelledby={`wait-${name}`}>
      <h3 id={`wait-${name}`}>{t('wait.title')}</h3>
      <SelectField
        label={t('wait.kind')}
        value={kind}
        onChange={switchTo}
        readOnly={readOnly}
        options={[
          { value: '', label: t('wait.none') },
          { value: 'event', label: t('wait.event') },
          { value: 'for', label: t('wait.for') },
          { value: 'until', label: t('wait.until') },
          { value: 'at', label: t('wait.at') },
          { value: 'bestTime', label: t('wait.bestTime') },
        ]}
      />
      {kind === 'bestTime' && (
        <>
          <DurationField
            label={t('wait.bestTimeWithin')}
            value={withinOf(String(wait.bestTime ?? ''))}
            onChange={(v) => set([...base, 'bestTime'], `within ${v}`)}
            error={errorAt([...base, 'bestTime'])}
            readOnly={readOnly}
            required
          />
          <p className="hint">{t('wait.bestTimeHint')}</p>
        </>
      )}
      {kind === 'event' && (
        <>
          <ListField
            label={t('wait.events')}
            value={awaitedEvents(state.wait)}
            onChange={(v) => set([...base, 'event'], v.length === 1 ? v[0] : v)}
            error={errorAt([...base, 'event'])}
            readOnly={readOnly}
            required
            hint={t('wait.eventsHint')}
          />
          <DurationField
            label={t('wait.timeout')}
            value={String(wait.timeout ?? '')}
            onChange={(v) => set([...base, 'timeout'], v || undefined)}
            error={errorAt([...base, 'timeout'])}
            readOnly={readOnly}
          />
          <CelField
            label={t('wait.where')}
            value={String(wait.where ?? '')}
            onChange={(v) => set([...base, 'where'], v || undefined)}
            def={def}
            serverError={errorAt([...base, 'where'])}
            readOnly={readOnly}
            required={false}
          />
        </>
      )}
      {kind === 'for' && (
        <DurationField
          label={t('wait.duration')}
          value={String(wait.for ?? '')}
          onChange={(v) => set([...base, 'for'], v)}
          error={errorAt([...base, 'for'])}
          readOnly={readOnly}
          required
        />
      )}
      {kind === 'until' && (
        <CelField
          label={t('wait.untilExpression')}
          value={String(wait.until ?? '')}
          onChange={(v) => set([...base, 'until'], v)}
          def={def}
          serverError={errorAt([...base, 'until'])}
          readOnly={readOnly}
        />
      )}
      {kind === 'at' && (
        <>
          <TextField
            label={t('wait.time')}
            value={String(wait.at ?? '')}
            onChange={(v) => set([...base, 'at'], v)}
            error={errorAt([...base, 'at'])}
            readOnly={readOnly}
            placeholder="09:00"
            hint={t('wait.timeHint')}
          />
          <fieldset className="field weekdays">
            <legend>{t('wait.weekdays')}</legend>
            {WEEKDAYS.map((d) => {
              const days = (wait.weekdays as string[] | undefined) ?? [];
              return (
                <label key={d} className="check">
                  <input
                    type="checkbox"
                    disabled={readOnly}
                    checked={days.includes(d)}
                    onChange={(e) => {
                      const next = WEEKDAYS.filter((w) => (w === d ? e.target.checked : days.includes(w)));
                      set([...base, 'weekdays'], next.length ? next : undefined);
                    }}
                  />
                  {t(`weekday.${d}`)}
                </label>
              );
            })}
          </fieldset>
        </>
      )}
    </section>
  );
}
