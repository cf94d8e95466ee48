import type { CompiledWorkflow } from '../compiler/compile.ts';
import type { Db } from '../store/db.ts';
import { listPublished, type PublishedRow } from '../store/workflows.ts';
import { startingEvent } from '../triggers/registry.ts';
import { compiledVersions, versionKey } from './compiled-versions.ts';

export interface PublishedWorkflow {
  workflowId: string;
  version: number;
  compiled: CompiledWorkflow;
  /** A paused journey admits no one (the dispatcher records who would have entered). */
  paused?: boolean;
}

/**
 * The published version of each workflow with an event trigger, by event type. Read per batch
 * (one small query) so a publish in any process takes effect at once everywhere.
 */
export async function eventTriggers(db: Db): Promise<Map<string, PublishedWorkflow[]>> {
  return eventTriggersOf(db, await listPublished(db));
}

/** eventTriggers from the published versions as listed (store/workflows.ts#listingPublished). */
export async function eventTriggersOf(
  db: Db,
  published: PublishedRow[],
): Promise<Map<string, PublishedWorkflow[]>> {
  const compiled = await compiledVersions(
    db,
    published.map((p) => ({ workflowId: p.id, version: p.version })),
  );
  const byEvent = new Map<string, PublishedWorkflow[]>();
  for (const p of published) {
    const c = compiled.get(versionKey(p.id, p.version));
    const event = c ? startingEvent(c.trigger) : null;
    if (!c || !event) continue;
    const list = byEvent.get(event) ?? [];
    list.push({ workflowId: p.id, version: p.version, compiled: c, paused: p.paused });
    byEvent.set(event, list);
  }
  return byEvent;
}

/** One workflow's published version, or null when it has none (or is archived). */
export async function publishedWorkflow(db: Db, id: string): Promise<PublishedWorkflow | null> {
  const p = (await listPublished(db)).find((w) => w.id === id);
  if (!p) return null;
  const compiled = (await compiledVersions(db, [{ workflowId: p.id, version: p.version }])).get(
    versionKey(p.id, p.version),
  );
  return compiled ? { workflowId: p.id, version: p.version, compiled, paused: p.paused } : null;
}

/** The published version of every workflow (archived ones have none). */
export async function publishedWorkflows(db: Db): Promise<PublishedWorkflow[]> {
  const published = await listPublished(db);
  const compiled = await compiledVersions(
    db,
    published.map((p) => ({ workflowId: p.id, version: p.version })),
  );
  return published.flatMap((p) => {
    const c = compiled.get(versionKey(p.id, p.version));
    return c ? [{ workflowId: p.id, version: p.version, compiled: c, paused: p.paused }] : [];
  });
}
