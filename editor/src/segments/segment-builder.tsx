import { CONSENT_CHANNELS } from '@tend/plugin-sdk/channels';
import { useT } from '../i18n/i18n.tsx';
import { lifecycleName } from '../pages/stage-badge.tsx';
import {
  FIELDS,
  type FieldKind,
  fieldOf,
  type Group,
  isGroup,
  newRule,
  OPS,
  type Op,
  type Rule,
} from './segment-rules.ts';

type T = ReturnType<typeof useT>;
const RFM_FIELDS = FIELDS.filter((f) => f.id.startsWith('rfm.') || f.id === 'stage');
const PREDICTED_FIELDS = FIELDS.filter((f) => f.id.startsWith('predicted.'));
const PROFILE_FIELDS = FIELDS.filter((f) => !RFM_FIELDS.includes(f) && !PREDICTED_FIELDS.includes(f));

/** How a test reads for a kind of field ("has the tag", "is granted", "is at least"). */
function opLabel(t: T, kind: FieldKind, op: Op): string {
  if ((kind === 'tag' || kind === 'consent') && (op === 'has' || op === 'lacks'))
    return t(`segments.op.${kind}.${op}`);
  return t(`segments.op.${op}`);
}

/**
 * Conditions in AND/OR groups: the top group joins its conditions and groups with "all" or
 * "any"; a group inside joins its own conditions the other way, which is all a segment needs.
 */
export function SegmentBuilder({
  group,
  onChange,
  stages,
  problems,
  readOnly,
}: {
  group: Group;
  onChange: (next: Group) => void;
  stages: string[];
  problems: Map<string, string>;
  readOnly: boolean;
}) {
  const t = useT();
  return (
    <fieldset className="rule-group" disabled={readOnly}>
      <legend>
        {t('segments.matchPrefix')}{' '}
        <JoinSelect join={group.join} onChange={(join) => onChange({ ...group, join })} />{' '}
        {t('segments.matchSuffix')}
      </legend>
      {group.items.length === 0 && <p className="muted">{t('segments.everyone')}</p>}
      {group.items.map((item, i) =>
        isGroup(item) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity but their place
          <fieldset key={i} className="rule-group inner">
            <legend>
              {t('segments.groupPrefix')}{' '}
              <JoinSelect
                join={item.join}
                onChange={(join) => onChange(replace(group, i, { ...item, join }))}
              />{' '}
              {t('segments.matchSuffix')}
            </legend>
            {item.items.map((rule, j) => (
              <RuleRow
                // biome-ignore lint/suspicious/noArrayIndexKey: as above
                key={j}
                rule={rule as Rule}
                stages={stages}
                problem={problems.get(`${i}.${j}`)}
                onChange={(next) => onChange(replace(group, i, replace(item, j, next)))}
                onRemove={() =>
                  onChange(item.items.length === 1 ? remove(group, i) : replace(group, i, remove(item, j)))
                }
              />
            ))}
            <div className="row">
              <button
                type="button"
                onClick={() =>
                  onChange(replace(group, i, { ...item, items: [...item.items, newRule('tags')] }))
                }
              >
                {t('segments.addRule')}
              </button>
              <button type="button" className="link-button" onClick={() => onChange(remove(group, i))}>
                {t('segments.removeGroup')}
              </button>
            </div>
          </fieldset>
        ) : (
          <RuleRow
            // biome-ignore lint/suspicious/noArrayIndexKey: as above
            key={i}
            rule={item}
            stages={stages}
            problem={problems.get(String(i))}
            onChange={(next) => onChange(replace(group, i, next))}
            onRemove={() => onChange(remove(group, i))}
          />
        ),
      )}
      <div className="row">
        <button
          type="button"
          onClick={() => onChange({ ...group, items: [...group.items, newRule('stage')] })}
        >
          {t('segments.addRule')}
        </button>
        <button
          type="button"
          onClick={() =>
            onChange({
              ...group,
              items: [
                ...group.items,
                { join: group.join === 'all' ? 'any' : 'all', items: [newRule('tags'), newRule('tags')] },
              ],
            })
          }
        >
          {t('segments.addGroup')}
        </button>
      </div>
    </fieldset>
  );
}

function JoinSelect({ join, onChange }: { join: Group['join']; onChange: (join: Group['join']) => void }) {
  const t = useT();
  return (
    <select
      value={join}
      aria-label={t('segments.matchPrefix')}
      onChange={(e) => onChange(e.target.value as Group['join'])}
    >
      <option value="all">{t('segments.match.all')}</option>
      <option value="any">{t('segments.match.any')}</option>
    </select>
  );
}

function RuleRow({
  rule,
  stages,
  problem,
  onChange,
  onRemove,
}: {
  rule: Rule;
  stages: string[];
  problem: string | undefined;
  onChange: (next: Rule) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const found = fieldOf(rule.field);
  const base = found?.field.id ?? rule.field.split(':')[0] ?? '';
  const kind = found?.field.kind ?? (base === 'attribute' ? 'text' : 'consent');
  const key = rule.field.includes(':') ? rule.field.slice(rule.field.indexOf(':') + 1) : '';
  const chooseField = (id: string) => {
    const next = id === 'attribute' ? 'attribute:' : id === 'consent' ? 'consent:email' : id;
    onChange(newRule(next));
  };
  const options = base === 'stage' ? stages : (found?.field.options ?? []);
  const valueLabel = t('segments.value');
  return (
    <div className="rule-row" data-testid="segment-rule">
      <label>
        <span className="sr-only">{t('segments.field')}</span>
        <select value={base} onChange={(e) => chooseField(e.target.value)}>
          <optgroup label={t('segments.fields.rfm')}>
            {RFM_FIELDS.map((f) => (
              <option key={f.id} value={f.id}>
                {t(`segments.field.${f.id}` as never)}
              </option>
            ))}
          </optgroup>
          <optgroup label={t('segments.fields.predicted')}>
            {PREDICTED_FIELDS.map((f) => (
              <option key={f.id} value={f.id}>
                {t(`segments.field.${f.id}` as never)}
              </option>
            ))}
          </optgroup>
          <optgroup label={t('segments.fields.profile')}>
            {PROFILE_FIELDS.map((f) => (
              <option key={f.id} value={f.id}>
                {t(`segments.field.${f.id}` as never)}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      {base === 'attribute' && (
        <label>
          <span className="sr-only">{t('segments.attributeKey')}</span>
          <input
            value={key}
            placeholder={t('segments.attributeKey')}
            size={12}
            onChange={(e) => onChange({ ...rule, field: `attribute:${e.target.value}` })}
          />
        </label>
      )}
      {base === 'consent' && (
        <label>
          <span className="sr-only">{t('segments.channel')}</span>
          <select value={key} onChange={(e) => onChange({ ...rule, field: `consent:${e.target.value}` })}>
            {CONSENT_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        <span className="sr-only">{t('segments.test')}</span>
        <select value={rule.op} onChange={(e) => onChange({ ...rule, op: e.target.value as Op })}>
          {OPS[kind].map((op) => (
            <option key={op} value={op}>
              {opLabel(t, kind, op)}
            </option>
          ))}
        </select>
      </label>
      {kind === 'enum' ? (
        <label>
          <span className="sr-only">{valueLabel}</span>
          <select value={rule.value} onChange={(e) => onChange({ ...rule, value: e.target.value })}>
            <option value="">—</option>
            {options.map((o) => (
              <option key={o} value={o}>
                {base === 'stage' ? lifecycleName(t, o) : base === 'rfm.segment' ? t(`rfm.${o}` as never) : o}
              </option>
            ))}
          </select>
        </label>
      ) : kind === 'consent' || (kind === 'text' && (rule.op === 'has' || rule.op === 'lacks')) ? null : (
        <label>
          <span className="sr-only">{valueLabel}</span>
          <input
            value={rule.value}
            inputMode={kind === 'number' || kind === 'age' ? 'decimal' : undefined}
            size={kind === 'number' || kind === 'age' ? 8 : 16}
            placeholder={valueLabel}
            aria-invalid={problem ? true : undefined}
            onChange={(e) => onChange({ ...rule, value: e.target.value })}
          />
          {kind === 'age' && <span> {t('segments.days')}</span>}
        </label>
      )}
      <button type="button" className="link-button" onClick={onRemove}>
        {t('segments.remove')}
      </button>
      {problem && (
        <span className="error small" role="note">
          {t(problem as never)}
        </span>
      )}
    </div>
  );
}

function replace<G extends Group>(group: G, index: number, item: Rule | Group): G {
  return { ...group, items: group.items.map((x, i) => (i === index ? item : x)) };
}
function remove<G extends Group>(group: G, index: number): G {
  return { ...group, items: group.items.filter((_, i) => i !== index) };
}
