import { api, unwrap } from '../api/client.ts';
import { useQuery } from '../api/use-query.ts';
import { useEditor } from '../editor/context.ts';
import { useDateTime, useT } from '../i18n/i18n.tsx';
import type { StateDef } from '../model/def.ts';
import type { Path } from '../model/yaml-edit.ts';
import { SelectField, TextField } from './fields.tsx';
import { useErrorAt } from './targets.tsx';

const REFRESH_MS = 5000;

type Answer = {
  method: { threshold: number; minPerArm: number; maxPerArm: number };
  experiments: {
    state: string;
    arms: {
      arm: number;
      label: string | null;
      next: string;
      entered: number;
      converted: number;
      open: number;
      rate: number | null;
      low: number;
      high: number;
      pBest: number;
      followedWinner: number;
    }[];
    now: { kind: string };
    decision: {
      verdict: string;
      arm: number | null;
      decidedAt: string;
      /** Each arm's numbers when it was decided. */
      numbers: { pBest: number; entered: number }[];
    } | null;
  }[];
};

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
/** A probability to be best: never rounded up to a certainty it is not. */
const chance = (v: number) => (v > 0.999 && v < 1 ? '> 99.9 %' : v < 0.001 && v > 0 ? '< 0.1 %' : pct(v));

/**
 * A split as an experiment: its goal, window, holdout and what to do with a winner, and, once
 * published, each arm's numbers and the decision (from GET /api/workflows/:id/experiments).
 */
export function ExperimentSection({ name, state }: { name: string; state: StateDef }) {
  const t = useT();
  const { def, set, readOnly } = useEditor();
  const errorAt = useErrorAt();
  const base: Path = ['states', name, 'experiment'];
  const e = state.experiment;
  if (!e) {
    return readOnly ? null : (
      <button
        type="button"
        className="small"
        onClick={() =>
          set(base, { goal: { event: 'order.placed' }, window: '7d', pick: 'auto', holdout: '10%' })
        }
      >
        {t('experiment.make')}
      </button>
    );
  }
  return (
    <section className="form-section experiment" aria-labelledby={`experiment-${name}`}>
      <h3 id={`experiment-${name}`}>{t('experiment.title')}</h3>
      <TextField
        label={t('experiment.goalEvent')}
        value={e.goal?.event ?? ''}
        onChange={(v) =>
          set([...base, 'goal'], v ? { event: v } : { outcome: e.goal?.outcome ?? 'converted' })
        }
        error={errorAt([...base, 'goal'])}
        readOnly={readOnly}
      />
      {e.goal?.event === undefined && (
        <TextField
          label={t('experiment.goalOutcome')}
          value={e.goal?.outcome ?? ''}
          onChange={(v) => set([...base, 'goal', 'outcome'], v)}
          error={errorAt([...base, 'goal', 'outcome'])}
          readOnly={readOnly}
        />
      )}
      <div className="row">
        <TextField
          label={t('experiment.window')}
          value={e.window ?? ''}
          onChange={(v) => set([...base, 'window'], v)}
          error={errorAt([...base, 'window'])}
          hint={t('experiment.windowHint')}
          readOnly={readOnly}
        />
        <TextField
          label={t('experiment.holdout')}
          value={e.holdout === undefined ? '' : String(e.holdout)}
          onChange={(v) => set([...base, 'holdout'], v || undefined)}
          error={errorAt([...base, 'holdout'])}
          hint={t('experiment.holdoutHint')}
          readOnly={readOnly}
        />
      </div>
      <SelectField
        label={t('experiment.pick')}
        value={e.pick ?? 'auto'}
        onChange={(v) => set([...base, 'pick'], v)}
        readOnly={readOnly}
        options={[
          { value: 'auto', label: t('experiment.pickAuto') },
          { value: 'off', label: t('experiment.pickOff') },
        ]}
      />
      {def.id && <ExperimentNumbers workflow={def.id} state={name} />}
      {!readOnly && (
        <button type="button" className="small" onClick={() => set(base, undefined)}>
          {t('experiment.remove')}
        </button>
      )}
    </section>
  );
}

function ExperimentNumbers({ workflow, state }: { workflow: string; state: string }) {
  const t = useT();
  const when = useDateTime();
  const q = useQuery(
    `experiments:${workflow}`,
    () => unwrap(api.workflows[':id'].experiments.$get({ param: { id: workflow } })) as Promise<Answer>,
    REFRESH_MS,
  );
  const x = q.data?.experiments.find((e) => e.state === state);
  const m = q.data?.method;
  if (!x || !m) return <p className="muted">{t('experiment.notPublished')}</p>;
  const labelOf = (i: number) => x.arms[i]?.label ?? x.arms[i]?.next ?? String(i + 1);
  const fewest = Math.min(...x.arms.map((a) => a.entered));
  const top = Math.max(...x.arms.map((a) => a.pBest));
  const threshold = pct(m.threshold);
  const d = x.decision;
  return (
    <div className="experiment-numbers" data-testid="experiment-numbers">
      {d?.verdict === 'winner' && d.arm !== null ? (
        <p className="experiment-decision">
          <strong>{t('experiment.winner', { arm: labelOf(d.arm), at: when(d.decidedAt) })}</strong>{' '}
          {t('experiment.winnerWhy', {
            p: chance(d.numbers[d.arm]?.pBest ?? 0),
            threshold,
            min: Math.min(...d.numbers.map((n) => n.entered)),
          })}
        </p>
      ) : d ? (
        <p className="experiment-decision">
          <strong>{t('experiment.noWinner', { at: when(d.decidedAt) })}</strong>{' '}
          {t('experiment.noWinnerWhy', { max: m.maxPerArm, threshold })}
        </p>
      ) : (
        <p className="muted">
          {fewest < m.minPerArm
            ? t('experiment.waitingSample', { min: m.minPerArm, n: fewest })
            : t('experiment.waitingProbability', { p: chance(top), threshold })}
        </p>
      )}
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">{t('experiment.arm')}</th>
            <th scope="col">{t('experiment.converted')}</th>
            <th scope="col">{t('experiment.rate')}</th>
            <th scope="col">{t('experiment.pBest')}</th>
          </tr>
        </thead>
        <tbody>
          {x.arms.map((a) => (
            <tr key={a.arm} className={d?.arm === a.arm ? 'winner' : undefined}>
              <th scope="row">{labelOf(a.arm)}</th>
              <td className="num">
                {t('experiment.ofEntered', { converted: a.converted, entered: a.entered })}
              </td>
              <td className="num">
                {a.rate === null ? '–' : pct(a.rate)}
                <br />
                <span className="muted small">
                  {pct(a.low)}–{pct(a.high)}
                </span>
              </td>
              <td className="num">{chance(a.pBest)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        {t('experiment.flow', {
          open: x.arms.reduce((n, a) => n + a.open, 0),
          followed: x.arms.reduce((n, a) => n + a.followedWinner, 0),
        })}
      </p>
      <p className="muted small">
        {t('experiment.method', { threshold, min: m.minPerArm, max: m.maxPerArm })}
      </p>
    </div>
  );
}
