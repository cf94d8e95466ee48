import type { CompiledWorkflow } from '../compiler/compile.ts';
import type { Db } from '../store/db.ts';
import { listPublished } from '../store/workflows.ts';
import { compiledVersions, versionKey } from './definitions.ts';

export interface PublishedWorkflow {
  workflowId: string;
  version: number;
  compiled: CompiledWorkflow;
}

/**
 * The published version of each workflow with an event trigger, by event type. Read per batch
 * (one small query) so a publish in any process takes effect at once everywhere.
 */
export async function eventTriggers(db: Db): Promise<Map<string, PublishedWorkflow[]>> {
  const published = await listPublished(db);
  const compiled = await compiledVersions(
    db,
    published.map((p) => ({ workflowId: p.id, version: p.version })),
  );
  const byEvent = new Map<string, PublishedWorkflow[]>();
  for (const p of published) {
    const c = compiled.get(versionKey(p.id, p.version));
    const event = c?.def.trigger.event;
    if (!c || !event) continue;
    const list = byEvent.get(event) ?? [];
    list.push({ workflowId: p.id, version: p.version, compiled: c });
    byEvent.set(event, list);
  }
  return byEvent;
}
