import { useEditor } from '../editor/context.ts';
import { useT } from '../i18n/i18n.tsx';
import { awaitedEvents, type Branch, type StateDef, waitKind } from '../model/def.ts';
import type { Path } from '../model/yaml-edit.ts';
import { ChooseList, SplitEditor } from './branches.tsx';
import { ExperimentSection } from './experiment-section.tsx';
import { SelectField, TextField } from './fields.tsx';
import { TargetField, useErrorAt } from './targets.tsx';

type ExitKind = 'next' | 'choose' | 'split' | 'end' | '';

function exitKind(s: StateDef): ExitKind {
  if (s.end !== undefined) return 'end';
  if (s.choose !== undefined) return 'choose';
  if (s.split !== undefined) return 'split';
  if (s.next !== undefined) return 'next';
  return '';
}

/** How a state leaves: next, choose, split or end; after a wait for events, one target per event. */
export function ExitForm({ name, state }: { name: string; state: StateDef }) {
  const t = useT();
  const { set, readOnly } = useEditor();
  const errorAt = useErrorAt();
  const base: Path = ['states', name];

  if (waitKind(state.wait) === 'event') {
    const keys = [
      ...awaitedEvents(state.wait),
      ...(state.wait && 'timeout' in state.wait && state.wait.timeout ? ['timeout'] : []),
    ];
    return (
      <section className="form-section" aria-labelledby={`exit-${name}`}>
        <h3 id={`exit-${name}`}>{t('exit.title')}</h3>
        {keys.map((key) => {
          const value = state.on?.[key];
          const label = key === 'timeout' ? t('exit.onTimeout') : t('exit.onEvent', { event: key });
          if (Array.isArray(value)) {
            return (
              <fieldset key={key} className="field">
                <legend>{label}</legend>
                <ChooseList path={[...base, 'on', key]} branches={value as Branch[]} />
              </fieldset>
            );
          }
          return (
            <TargetField
              key={key}
              label={label}
              value={value ?? ''}
              onChange={(v) => set([...base, 'on', key], v || undefined)}
              error={errorAt([...base, 'on', key])}
            />
          );
        })}
      </section>
    );
  }

  const kind = exitKind(state);
  const switchTo = (next: string) => {
    for (const k of ['next', 'choose', 'split', 'end'] as const) if (k !== next) set([...base, k], undefined);
    // An experiment belongs to its split.
    if (next !== 'split') set([...base, 'experiment'], undefined);
    if (next === 'next') set([...base, 'next'], '');
    if (next === 'choose') set([...base, 'choose'], [{ when: '', next: '' }, { next: '' }]);
    if (next === 'split')
      set(
        [...base, 'split'],
        [
          { weight: 50, next: '' },
          { weight: 50, next: '' },
        ],
      );
    if (next === 'end') {
      set([...base, 'end'], 'completed');
      set([...base, 'wait'], undefined);
    }
  };
  return (
    <section className="form-section" aria-labelledby={`exit-${name}`}>
      <h3 id={`exit-${name}`}>{t('exit.title')}</h3>
      <SelectField
        label={t('exit.kind')}
        value={kind}
        onChange={switchTo}
        readOnly={readOnly}
        empty={t('exit.choose')}
        options={[
          { value: 'next', label: t('exit.next') },
          { value: 'choose', label: t('exit.chooseKind') },
          { value: 'split', label: t('exit.split') },
          { value: 'end', label: t('exit.end') },
        ]}
      />
      {kind === 'next' && (
        <TargetField
          label={t('exit.nextState')}
          value={state.next ?? ''}
          onChange={(v) => set([...base, 'next'], v)}
          error={errorAt([...base, 'next'])}
        />
      )}
      {kind === 'choose' && <ChooseList path={[...base, 'choose']} branches={state.choose ?? []} />}
      {kind === 'split' && (
        <div className="branches">
          {(state.split ?? []).map((b, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: split branches are positional
            <SplitEditor key={i} path={[...base, 'split', i]} branch={b} index={i} />
          ))}
          {!readOnly && (
            <button
              type="button"
              className="small"
              onClick={() => set([...base, 'split'], [...(state.split ?? []), { weight: 10, next: '' }])}
            >
              {t('branch.add')}
            </button>
          )}
        </div>
      )}
      {kind === 'split' && <ExperimentSection name={name} state={state} />}
      {kind === 'end' && (
        <TextField
          label={t('exit.outcome')}
          value={state.end ?? ''}
          onChange={(v) => set([...base, 'end'], v)}
          error={errorAt([...base, 'end'])}
          readOnly={readOnly}
          hint={t('exit.outcomeHint')}
          required
        />
      )}
    </section>
  );
}
