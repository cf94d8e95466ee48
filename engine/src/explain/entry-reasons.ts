import type { PublishedWorkflow } from '../catalog/published-workflows.ts';
import type { CustomerView } from '../customers/types.ts';
import type { EventRecord, RunRecord } from '../store/explain-records.ts';
import type { PausedEntry } from '../store/paused-entries.ts';
import { runSlot } from '../store/runs.ts';
import { kindMismatch } from '../triggers/registry.ts';
import { admission } from '../workers/enroll.ts';
import type { Reason } from './types.ts';

const iso = (d: Date) => d.toISOString();

/**
 * Why the events that could have started a run did not: the trigger's filter, a key that did not
 * evaluate, a run already active in the same slot, re-entry rules, a paused journey, or a
 * journey not yet published. Admission is checked again as the runtime does, as of when each
 * event arrived, against the runs that existed then.
 */
export function entryReasons(
  wf: PublishedWorkflow,
  customer: CustomerView,
  events: EventRecord[],
  runs: RunRecord[],
  paused: PausedEntry[],
  firstPublished: { at: Date; id: string } | null,
  pauses: { from: Date; to: Date | null; admit: boolean | null; auditId: string }[],
  defaultZone: string,
): Reason[] {
  const out: Reason[] = [];
  const started = new Set(runs.map((r) => r.startEventId).filter((id): id is string => id !== null));
  const pausedSeqs = new Map(paused.map((p) => [p.eventSeq, p]));
  const { trigger } = wf.compiled;
  for (const e of events) {
    if (started.has(e.id)) continue;
    const event = { records: [{ table: 'events' as const, id: e.id, at: iso(e.receivedAt) }] };
    const what = `${e.type} of ${iso(e.occurredAt)}`;
    const held = pausedSeqs.get(e.seq);
    if (held) {
      out.push({
        code: 'paused',
        message: `${what} came while the journey was paused; the customer waits to be admitted (or not) when it resumes`,
        at: iso(held.at),
        records: [...event.records, { table: 'paused_entries', id: `${wf.workflowId}/${e.seq}` }],
      });
      continue;
    }
    if (firstPublished && e.receivedAt < firstPublished.at) {
      out.push({
        code: 'not_published_yet',
        message: `${what} came before the journey was first published (${iso(firstPublished.at)})`,
        at: iso(e.receivedAt),
        records: [...event.records, { table: 'audit_log', id: firstPublished.id }],
      });
      continue;
    }
    const then = e.receivedAt.getTime();
    const active = new Map<string, RunRecord>();
    const lastStart = new Map<string, Date>();
    for (const r of runs) {
      if (r.startedAt.getTime() > then) continue;
      const slot = runSlot(r.workflowId, customer.id, r.key);
      if (r.endedAt === null || r.endedAt.getTime() > then) active.set(slot, r);
      const seen = lastStart.get(slot);
      if (!seen || seen < r.startedAt) lastStart.set(slot, r.startedAt);
    }
    const view = {
      id: e.id,
      type: e.type,
      data: e.data,
      occurredAt: iso(e.occurredAt),
      customerId: customer.id,
    };
    const a = admission(wf, view, customer, { active, lastStart }, e.receivedAt, defaultZone);
    if (a.ok) {
      const pause = pauses.find((p) => p.from <= e.receivedAt && p.to !== null && e.receivedAt < p.to);
      if (pause && pause.admit === false) {
        out.push({
          code: 'paused',
          message: `${what} came while the journey was paused, and it was resumed without admitting who would have entered (${iso(pause.to as Date)})`,
          at: iso(e.receivedAt),
          records: [...event.records, { table: 'audit_log', id: pause.auditId }],
        });
      }
      continue; // otherwise it started a run that has since been erased, or is being dispatched
    }
    if (a.skip === 'filtered') {
      const why = kindMismatch(trigger, e.data) ?? `the trigger's filter \`${trigger.where}\` was false`;
      out.push({
        code: 'trigger_filter',
        message: `${what} did not start a run: ${why}`,
        at: iso(e.receivedAt),
        ...event,
      });
    } else if (a.skip === 'key') {
      out.push({
        code: 'trigger_key',
        message: `${what} did not start a run: its key \`${trigger.key}\` had no value`,
        at: iso(e.receivedAt),
        ...event,
      });
    } else if (a.skip === 'active') {
      const run = [...active.values()][0];
      out.push({
        code: 'already_in_run',
        message: `${what} did not start a run: the customer was already in one${run ? ` (started ${iso(run.startedAt)}, in "${run.state}")` : ''}`,
        at: iso(e.receivedAt),
        records: [...event.records, ...(run ? [{ table: 'runs' as const, id: run.id }] : [])],
      });
    } else {
      const rule = wf.compiled.def.entry?.reenter ?? 'never';
      const previous = runs.find((r) => r.startedAt.getTime() <= then);
      out.push({
        code: 'reentry_blocked',
        message: `${what} did not start a run: re-entry is "${rule}" and the customer entered ${previous ? `on ${iso(previous.startedAt)}` : 'before'}`,
        at: iso(e.receivedAt),
        records: [...event.records, ...(previous ? [{ table: 'runs' as const, id: previous.id }] : [])],
      });
    }
  }
  return out;
}
