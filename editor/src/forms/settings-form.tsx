import { useEditor } from '../editor/context.ts';
import { useT } from '../i18n/i18n.tsx';
import { triggerKind } from '../model/def.ts';
import { STAGES } from '../model/new-journey.ts';
import { CelField } from './cel-field.tsx';
import { DurationField, NumberField, SelectField, TextField } from './fields.tsx';
import { GoalsForm, LimitsForm } from './goals-limits.tsx';
import { TargetField, useErrorAt } from './targets.tsx';

const KINDS = ['event', 'segment', 'stage', 'schedule', 'date', 'lunar', 'predicted'] as const;
/** The predictions a `predicted:` trigger may compare (as `customer.predicted` names them). */
const PREDICTED_FIELDS = ['churn', 'aliveProbability', 'orders90d', 'value'] as const;
const FRESH: Record<(typeof KINDS)[number], unknown> = {
  event: 'customer.signed_up',
  segment: 'vip',
  stage: 'at-risk',
  schedule: { cron: '0 9 * * 1', tz: 'customer' },
  date: { attribute: 'birthday', at: '09:00' },
  lunar: { month: 8, day: 15, at: '10:00' },
  predicted: { churn: '> 0.7' },
};

/** The journey's settings: name and stage, trigger, start, re-entry, goals, quiet hours and caps. */
export function SettingsForm() {
  const t = useT();
  const { def, set, readOnly } = useEditor();
  const errorAt = useErrorAt();
  const kind = triggerKind(def.trigger) ?? '';
  const trigger = def.trigger as Record<string, unknown>;
  const value = (kind && trigger[kind]) as Record<string, unknown> | string | undefined;
  const reenter = def.entry.reenter ?? 'never';
  const reenterKind = reenter.startsWith('after') ? 'after' : reenter;
  const field = (key: string) => (typeof value === 'object' && value ? value[key] : undefined);

  return (
    <div className="settings-form">
      <h2>{t('settings.title')}</h2>
      <TextField
        label={t('settings.name')}
        value={def.name}
        onChange={(v) => set(['name'], v)}
        error={errorAt(['name'])}
        readOnly={readOnly}
        required
      />
      <TextField
        label={t('settings.id')}
        value={def.id}
        onChange={(v) => set(['id'], v)}
        error={errorAt(['id'])}
        readOnly={readOnly}
        hint={t('settings.idHint')}
        required
      />
      <SelectField
        label={t('list.stage')}
        value={def.stage}
        onChange={(v) => set(['stage'], v || undefined)}
        readOnly={readOnly}
        empty={t('field.none')}
        options={STAGES.map((s) => ({ value: s, label: t(`stage.${s}`) }))}
      />
      <section className="form-section" aria-labelledby="trigger-title">
        <h3 id="trigger-title">{t('settings.trigger')}</h3>
        <SelectField
          label={t('trigger.kind')}
          value={kind}
          readOnly={readOnly}
          empty={t('field.choose')}
          error={errorAt(['trigger'])}
          onChange={(k) => {
            const rest = {
              ...(def.trigger.where ? { where: def.trigger.where } : {}),
              ...(def.trigger.key ? { key: def.trigger.key } : {}),
            };
            set(['trigger'], k ? { [k]: FRESH[k as (typeof KINDS)[number]], ...rest } : rest);
          }}
          options={KINDS.map((k) => ({ value: k, label: t(`trigger.kind.${k}`) }))}
        />
        {(kind === 'event' || kind === 'segment' || kind === 'stage') && (
          <TextField
            label={t(`trigger.value.${kind}`)}
            value={String(value ?? '')}
            onChange={(v) => set(['trigger', kind], v)}
            error={errorAt(['trigger', kind])}
            readOnly={readOnly}
            required
          />
        )}
        {kind === 'schedule' && (
          <>
            <TextField
              label={t('trigger.cron')}
              value={String(field('cron') ?? '')}
              onChange={(v) => set(['trigger', 'schedule', 'cron'], v)}
              error={errorAt(['trigger', 'schedule', 'cron'])}
              hint={t('trigger.cronHint')}
              readOnly={readOnly}
              required
            />
            <TextField
              label={t('trigger.tz')}
              value={String(field('tz') ?? '')}
              onChange={(v) => set(['trigger', 'schedule', 'tz'], v || undefined)}
              error={errorAt(['trigger', 'schedule', 'tz'])}
              hint={t('trigger.tzHint')}
              readOnly={readOnly}
            />
          </>
        )}
        {kind === 'date' && (
          <>
            <TextField
              label={t('trigger.attribute')}
              value={String(field('attribute') ?? '')}
              onChange={(v) => set(['trigger', 'date', 'attribute'], v)}
              readOnly={readOnly}
              required
            />
            <TextField
              label={t('trigger.at')}
              value={String(field('at') ?? '')}
              onChange={(v) => set(['trigger', 'date', 'at'], v || undefined)}
              readOnly={readOnly}
              placeholder="09:00"
            />
            <DurationField
              label={t('trigger.offset')}
              value={String(field('offset') ?? '')}
              onChange={(v) => set(['trigger', 'date', 'offset'], v || undefined)}
              error={errorAt(['trigger', 'date', 'offset'])}
              readOnly={readOnly}
            />
          </>
        )}
        {kind === 'lunar' && (
          <>
            <NumberField
              label={t('trigger.month')}
              integer
              min={1}
              max={12}
              value={field('month') as number | undefined}
              onChange={(v) => set(['trigger', 'lunar', 'month'], v)}
              readOnly={readOnly}
              required
            />
            <NumberField
              label={t('trigger.day')}
              integer
              min={1}
              max={30}
              value={field('day') as number | undefined}
              onChange={(v) => set(['trigger', 'lunar', 'day'], v)}
              readOnly={readOnly}
              required
            />
            <TextField
              label={t('trigger.at')}
              value={String(field('at') ?? '')}
              onChange={(v) => set(['trigger', 'lunar', 'at'], v || undefined)}
              readOnly={readOnly}
              placeholder="10:00"
            />
          </>
        )}
        {kind === 'predicted' &&
          PREDICTED_FIELDS.map((name) => (
            <TextField
              key={name}
              label={t(`trigger.predicted.${name}`)}
              value={String(field(name) ?? '')}
              onChange={(v) => set(['trigger', 'predicted', name], v || undefined)}
              error={errorAt(['trigger', 'predicted', name])}
              hint={t('trigger.predictedHint')}
              readOnly={readOnly}
              placeholder={name === 'churn' ? '> 0.7' : undefined}
            />
          ))}
        <CelField
          label={t('trigger.where')}
          value={def.trigger.where ?? ''}
          onChange={(v) => set(['trigger', 'where'], v || undefined)}
          def={def}
          serverError={errorAt(['trigger', 'where'])}
          readOnly={readOnly}
          required={false}
        />
        <CelField
          label={t('trigger.key')}
          value={def.trigger.key ?? ''}
          onChange={(v) => set(['trigger', 'key'], v || undefined)}
          def={def}
          serverError={errorAt(['trigger', 'key'])}
          readOnly={readOnly}
          required={false}
        />
        <TargetField
          label={t('settings.start')}
          value={def.start ?? ''}
          onChange={(v) => set(['start'], v || undefined)}
          error={errorAt(['start'])}
        />
      </section>
      <section className="form-section" aria-labelledby="entry-title">
        <h3 id="entry-title">{t('settings.entry')}</h3>
        <SelectField
          label={t('entry.reenter')}
          value={reenterKind}
          readOnly={readOnly}
          onChange={(v) =>
            set(['entry', 'reenter'], v === 'never' ? undefined : v === 'after' ? 'after 90d' : v)
          }
          options={[
            { value: 'never', label: t('entry.never') },
            { value: 'always', label: t('entry.always') },
            { value: 'after', label: t('entry.after') },
          ]}
        />
        {reenterKind === 'after' && (
          <DurationField
            label={t('entry.afterDuration')}
            value={reenter.replace(/^after\s*/, '')}
            onChange={(v) => set(['entry', 'reenter'], `after ${v}`)}
            error={errorAt(['entry', 'reenter'])}
            readOnly={readOnly}
          />
        )}
      </section>
      <GoalsForm />
      <LimitsForm />
    </div>
  );
}
