import type { WorkflowDef } from '../definitions/types.ts';
import type { HistoryRecord, RunRecord } from '../store/explain-records.ts';
import type { OutboxRow } from '../store/outbox.ts';
import type { Reason } from './types.ts';

const iso = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString());
const historyRef = (h: HistoryRecord) => ({
  table: 'run_history' as const,
  id: h.n > 0 ? `${h.id}#${h.n}` : h.id,
  at: iso(h.at),
});
const runRef = (r: RunRecord) => ({ table: 'runs' as const, id: r.id, at: iso(r.startedAt) });

/** Where a run stands, or how it ended, in plain words. */
export function positionOf(run: RunRecord, def: WorkflowDef | undefined, history: HistoryRecord[]): Reason {
  const mine = history.filter((h) => h.runId === run.id);
  const last = (type: string) => mine.findLast((h) => h.type === type);
  const v = `v${run.version}`;
  if (run.status === 'active') {
    const step = run.step === null ? undefined : def?.states[run.state]?.steps?.[run.step];
    const stepName = step ? `${step.id ?? step.uses} (${step.uses})` : `step ${(run.step ?? 0) + 1}`;
    const held = last('run.held');
    if (run.phase === 'steps' && run.driver === null && run.awaiting === null && held) {
      return {
        code: 'held_paused',
        message: `is held in "${run.state}" before ${stepName} because the journey is paused; they go on when it resumes`,
        at: iso(held.at),
        records: [runRef(run), historyRef(held)],
      };
    }
    const timer = last('timer.set');
    const due = typeof timer?.detail?.dueAt === 'string' ? timer.detail.dueAt : null;
    const best = bestTimeWords(timer?.detail);
    const entered = last('state.entered');
    const since = entered ? ` since ${iso(entered.at)}` : '';
    const wait = def?.states[run.state]?.wait;
    let doing: string;
    if (run.phase === 'wait-event' && wait && 'event' in wait)
      doing = `waiting for ${[wait.event].flat().join(' or ')}${due ? ` until ${due}` : ''}`;
    else if (run.phase === 'wait-delay' && best) doing = `waiting ${best}, ${due}`;
    else if (run.phase === 'wait-delay') doing = `waiting until ${due ?? 'its timer fires'}`;
    else if (run.awaiting) doing = `waiting at ${stepName} for ${run.awaiting}`;
    else doing = `running ${stepName}`;
    return {
      code: 'in_run',
      message: `is in "${run.state}" of ${v}${since}, ${doing}`,
      at: entered ? iso(entered.at) : iso(run.startedAt),
      records: [
        runRef(run),
        ...(entered ? [historyRef(entered)] : []),
        ...(timer ? [historyRef(timer)] : []),
      ],
    };
  }
  const goal = last('goal.reached');
  if (goal) {
    const eventId = typeof goal.detail?.eventId === 'string' ? goal.detail.eventId : null;
    return {
      code: 'exit_goal',
      message: `left the journey in "${goal.state}" because ${String(goal.detail?.event)} reached its exit goal (outcome "${String(goal.detail?.outcome)}")`,
      at: iso(goal.at),
      records: [
        runRef(run),
        historyRef(goal),
        ...(eventId ? [{ table: 'events' as const, id: eventId }] : []),
      ],
    };
  }
  if (run.status === 'failed') {
    const failed = last('step.failed') ?? last('run.failed');
    const error = failed?.detail?.error as { code?: string; message?: string } | undefined;
    return {
      code: 'run_failed',
      message: `the run failed in "${run.state}"${failed?.step ? ` at step ${failed.step}` : ''}${error ? `: ${error.code}: ${error.message}` : ''}`,
      at: run.endedAt ? iso(run.endedAt) : null,
      records: [runRef(run), ...(failed ? [historyRef(failed)] : [])],
    };
  }
  const ended = last('run.ended');
  return {
    code: 'finished',
    message:
      run.status === 'cancelled'
        ? `the run was cancelled in "${run.state}" (${run.outcome ?? 'no outcome'})`
        : `finished in "${run.state}" with outcome "${run.outcome ?? 'none'}"`,
    at: run.endedAt ? iso(run.endedAt) : null,
    records: [runRef(run), ...(ended ? [historyRef(ended)] : [])],
  };
}

/** Steps that failed or are being retried, and migrations, of these runs. */
export function stepReasons(runs: RunRecord[], history: HistoryRecord[]): Reason[] {
  const out: Reason[] = [];
  const active = new Set(runs.filter((r) => r.status === 'active').map((r) => r.id));
  for (const h of history) {
    const error = h.detail?.error as { code?: string; message?: string } | undefined;
    const uses = typeof h.detail?.uses === 'string' ? ` (${h.detail.uses})` : '';
    if (h.type === 'step.failed') {
      out.push({
        code: 'step_failed',
        message: `step ${h.step ?? '?'}${uses} in "${h.state}" failed${error ? `: ${error.code}: ${error.message}` : ''}`,
        at: iso(h.at),
        records: [historyRef(h)],
      });
    } else if (h.type === 'step.retry' && active.has(h.runId)) {
      const later = history.some((x) => x.runId === h.runId && x.id > h.id && x.type.startsWith('step.'));
      if (!later)
        out.push({
          code: 'step_retrying',
          message: `step ${h.step ?? '?'}${uses} in "${h.state}" failed (attempt ${String(h.detail?.attempt ?? '?')}${error ? `: ${error.message}` : ''}) and will be tried again`,
          at: iso(h.at),
          records: [historyRef(h)],
        });
    } else if (h.type === 'run.migrated') {
      const from = h.detail?.from as { version?: number; state?: string } | undefined;
      const to = h.detail?.to as { version?: number; state?: string } | undefined;
      out.push({
        code: 'migrated',
        message: `was moved by ${String(h.detail?.by ?? 'an operator')} from "${from?.state}" of v${from?.version} to "${to?.state}" of v${to?.version}`,
        at: iso(h.at),
        records: [historyRef(h)],
      });
    }
  }
  return out;
}

const SKIPS: Record<string, Reason['code']> = {
  no_consent: 'no_consent',
  consent_withdrawn: 'no_consent',
  no_address: 'no_address',
  frequency_cap: 'frequency_cap',
};

/** What happened to each message of the journey: sent, held in quiet hours, or skipped and why. */
export function messageReasons(rows: OutboxRow[]): Reason[] {
  return rows.map((m) => {
    const what = `${m.channel}${m.template ? ` "${m.template}"` : ''}`;
    const records = [{ table: 'outbox' as const, id: m.key, at: iso(m.created_at) }];
    if (m.status === 'sent')
      return {
        code: 'message_sent',
        message: `got the ${what} message`,
        at: iso(m.sent_at ?? m.created_at),
        records,
      };
    if (m.status === 'deferred') {
      return {
        code: 'quiet_hours',
        message: `the ${what} message is held by quiet hours${m.deferred_until ? ` until ${iso(m.deferred_until)}` : ''}${m.detail ? ` (${m.detail})` : ''}`,
        at: iso(m.created_at),
        records,
      };
    }
    if (m.status === 'skipped') {
      const code = SKIPS[m.reason ?? ''] ?? 'message_skipped';
      const label =
        code === 'frequency_cap'
          ? 'the frequency cap was reached'
          : code === 'no_consent'
            ? 'no consent'
            : code === 'no_address'
              ? 'no address'
              : (m.reason ?? 'skipped');
      return {
        code,
        message: `did not get the ${what} message: ${label}${m.detail ? ` (${m.detail})` : ''}`,
        at: iso(m.created_at),
        records,
      };
    }
    return {
      code: 'message_skipped',
      message: `the ${what} message is ${m.status}${m.detail ? `: ${m.detail}` : ''}`,
      at: iso(m.created_at),
      records,
    };
  });
}

const BASIS: Record<string, string> = {
  usual: 'their usual hour',
  base: "most customers' usual hour: they have no history of their own",
  best: 'their best hour outside quiet hours',
  'window-end': 'the end of the window: every hour in it is quiet',
};

/** "until the best time, 19:00 (their usual hour; Asia/Shanghai)", from a best-time timer. */
function bestTimeWords(detail: Record<string, unknown> | null | undefined): string | null {
  const best = detail?.bestTime as { hour?: number; basis?: string; zone?: string } | undefined;
  if (typeof best?.hour !== 'number') return null;
  const hour = `${String(best.hour).padStart(2, '0')}:00`;
  return `until the best time, ${hour} (${BASIS[best.basis ?? ''] ?? best.basis}; ${best.zone})`;
}
