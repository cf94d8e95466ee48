import { compiledVersions, versionKey } from '../catalog/compiled-versions.ts';
import { publishedWorkflow } from '../catalog/published-workflows.ts';
import { notFound } from '../errors.ts';
import { getCustomerRow } from '../store/customers.ts';
import {
  eventsOfTypes,
  firstPublished,
  pauseWindows,
  runsOfCustomer,
  telling,
} from '../store/explain-records.ts';
import { listOutbox } from '../store/outbox.ts';
import { pausedEntriesOf } from '../store/paused-entries.ts';
import { getWorkflow, listWorkflows } from '../store/workflows.ts';
import { describeTrigger, startingEvent } from '../triggers/registry.ts';
import type { RuntimeDeps } from '../workers/deps.ts';
import { entryReasons } from './entry-reasons.ts';
import { messageReasons, positionOf, stepReasons } from './run-reasons.ts';
import type { Explanation, Reason, WorkflowExplanation } from './types.ts';

const RUNS_LOOKED_AT = 20;
const EVENTS_LOOKED_AT = 20;

/**
 * Why a customer is where they are in each journey (or one), or why they never entered it or did
 * not get a message: in plain words, each reason citing the records it rests on. Read-only.
 */
export async function explainCustomer(
  deps: RuntimeDeps,
  customerId: string,
  workflowId?: string,
): Promise<Explanation> {
  const row = await getCustomerRow(deps.db, customerId);
  if (!row) throw notFound(`customer "${customerId}"`);
  const customer = deps.customers.view(row);
  const workflows = workflowId
    ? [await getWorkflow(deps.db, workflowId)].filter((w) => w !== null)
    : await listWorkflows(deps.db);
  if (workflowId && workflows.length === 0) throw notFound(`workflow "${workflowId}"`);
  const allRuns = await runsOfCustomer(deps.db, customerId, workflowId);
  const paused = await pausedEntriesOf(deps.db, customerId, workflowId);
  const out: WorkflowExplanation[] = [];
  for (const w of workflows) {
    const runs = allRuns.filter((r) => r.workflowId === w.id).slice(0, RUNS_LOOKED_AT);
    const published = await publishedWorkflow(deps.db, w.id);
    const compiled = await compiledVersions(deps.db, runs);
    const history = await telling(
      deps.db,
      runs.map((r) => r.id),
    );
    const positions = runs.map((r) =>
      positionOf(r, compiled.get(versionKey(r.workflowId, r.version))?.def, history),
    );
    const reasons: Reason[] = [
      ...positions,
      ...stepReasons(runs, history),
      ...messageReasons(await listOutbox(deps.db, { customer: customerId, workflow: w.id, limit: 50 })),
    ];
    if (published) {
      const type = startingEvent(published.compiled.trigger);
      const events = type ? await eventsOfTypes(deps.db, customerId, [type], EVENTS_LOOKED_AT) : [];
      reasons.push(
        ...entryReasons(
          published,
          customer,
          events,
          runs,
          paused.filter((p) => p.workflowId === w.id),
          await firstPublished(deps.db, w.id),
          await pauseWindows(deps.db, w.id),
          deps.config.defaultTimezone,
        ),
      );
      if (runs.length === 0 && events.length === 0) {
        const { trigger } = published.compiled;
        reasons.push({
          code: type ? 'no_trigger_event' : 'not_reached_by_trigger',
          message: type
            ? `never entered: the journey starts on ${describeTrigger(trigger)}, and no ${type} event was recorded for this customer`
            : `never entered: the journey starts on ${describeTrigger(trigger)}, which has not started a run for this customer yet`,
          at: null,
          records: [],
        });
      }
    }
    reasons.sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
    out.push({
      workflow: w.id,
      name: w.name,
      publishedVersion: w.publishedVersion,
      paused: w.pausedAt !== null,
      summary: summarize(positions[0], reasons, w.publishedVersion),
      reasons,
    });
  }
  return { customer: customerId, workflows: out };
}

function summarize(position: Reason | undefined, reasons: Reason[], published: number | null): string {
  if (position && (position.code === 'in_run' || position.code === 'held_paused'))
    return `The customer ${position.message}.`;
  const entry = reasons.find((r) =>
    [
      'paused',
      'trigger_filter',
      'trigger_key',
      'already_in_run',
      'reentry_blocked',
      'not_published_yet',
    ].includes(r.code),
  );
  if (position)
    return `Last run: the customer ${position.message}.${entry ? ` Since then: ${entry.message}.` : ''}`;
  if (entry) return `Not in this journey: ${entry.message}.`;
  if (published === null) return 'This journey is not published.';
  const never = reasons.find((r) => r.code === 'no_trigger_event' || r.code === 'not_reached_by_trigger');
  return never ? `${never.message.charAt(0).toUpperCase()}${never.message.slice(1)}.` : 'Nothing recorded.';
}
