import { Hono } from 'hono';
import { storedDefinition } from '../catalog/compiled-versions.ts';
import { badRequest, notFound } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { activeByVersion, liveCounts, outcomeTotals } from '../store/live-counts.ts';
import { definitionsOf } from '../store/workflow-versions.ts';
import { getWorkflow, listWorkflows } from '../store/workflows.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';
import { readsThatMayLag } from './replica-reads.ts';
import { type SharedAnswer, sharedAnswer } from './shared-answer.ts';

/** The outcomes a workflow counts as reaching its goal: those of its exit goals. */
async function goalsOf(
  db: Db,
  items: { workflowId: string; version: number }[],
): Promise<Map<string, string[]>> {
  const defs = await definitionsOf(db, items);
  return new Map(
    defs.map((d) => [d.workflowId, [...new Set((storedDefinition(d.def).exit ?? []).map((g) => g.outcome))]]),
  );
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

type Counts = Awaited<ReturnType<typeof liveCounts>>;
type Totals = Awaited<ReturnType<typeof outcomeTotals>>;

/**
 * Counts shared by everyone asking within a short while (they read the whole history of a
 * version), per database: keyed `workflow@version`, and `all` for the totals.
 */
const shared = new WeakMap<
  Db,
  {
    counts: SharedAnswer<Counts>;
    totals: SharedAnswer<Totals>;
    inFlight: SharedAnswer<{ version: number; active: number }[]>;
  }
>();

function sharedFor(db: Db) {
  let s = shared.get(db);
  if (!s) {
    s = {
      counts: sharedAnswer((key) => {
        const at = key.lastIndexOf('@');
        return liveCounts(db, key.slice(0, at), Number(key.slice(at + 1)));
      }),
      totals: sharedAnswer(() => outcomeTotals(db)),
      inFlight: sharedAnswer((workflowId) => activeByVersion(db, workflowId)),
    };
    shared.set(db, s);
  }
  return s;
}

/**
 * `GET /workflows/:id/live?version=`: where customers of one version (the published one unless
 * asked) are, how they moved, how they ended; and which versions have customers in flight.
 */
export const liveApi = new Hono<AppEnv>().get('/:id/live', requires('read'), async (c) => {
  const { now } = c.var.services;
  const { db, seen } = await readsThatMayLag(c);
  const id = c.req.param('id');
  const workflow = await getWorkflow(db, id);
  if (!workflow) throw notFound(`workflow "${id}"`);
  const asked = c.req.query('version');
  const version = asked === undefined ? (workflow.publishedVersion ?? workflow.latestVersion) : Number(asked);
  if (!Number.isInteger(version) || version < 1) throw badRequest('version must be a whole number from 1');
  const [counts, inFlight] = await Promise.all([
    sharedFor(db).counts(`${id}@${version}`, seen),
    sharedFor(db).inFlight(id, seen),
  ]);
  const goals = (await goalsOf(db, [{ workflowId: id, version }])).get(id) ?? [];
  const started = counts.edges.filter((e) => e.from === null).reduce((n, e) => n + e.count, 0);
  const reached = counts.ended
    .filter((e) => e.outcome && goals.includes(e.outcome))
    .reduce((n, e) => n + e.count, 0);
  return c.json({
    id,
    version,
    at: now().toISOString(),
    started,
    active: counts.active.reduce((n, s) => n + s.count, 0),
    states: counts.active,
    edges: counts.edges,
    outcomes: counts.ended,
    failures: counts.failures,
    goals,
    conversion: goals.length > 0 ? ratio(reached, started) : null,
    // Every version with customers in it now, so the editor can show each one.
    versions: inFlight,
  });
});

/** `GET /stats/workflows`: per workflow, runs started, in flight, and conversion to its goals. */
export const statsApi = new Hono<AppEnv>().get('/workflows', requires('read'), async (c) => {
  const { db, seen } = await readsThatMayLag(c);
  const workflows = await listWorkflows(db);
  const totals = await sharedFor(db).totals('all', seen);
  const goals = await goalsOf(
    db,
    workflows.map((w) => ({ workflowId: w.id, version: w.publishedVersion ?? w.latestVersion })),
  );
  return c.json({
    workflows: workflows.map((w) => {
      const mine = totals.filter((t) => t.workflowId === w.id);
      const started = mine.reduce((n, t) => n + t.count, 0);
      const active = mine.filter((t) => t.status === 'active').reduce((n, t) => n + t.count, 0);
      const failed = mine.filter((t) => t.status === 'failed').reduce((n, t) => n + t.count, 0);
      const wanted = goals.get(w.id) ?? [];
      const reached = mine
        .filter((t) => t.outcome && wanted.includes(t.outcome))
        .reduce((n, t) => n + t.count, 0);
      return {
        id: w.id,
        started,
        active,
        failed,
        goals: wanted,
        reached,
        conversion: wanted.length > 0 ? ratio(reached, started) : null,
      };
    }),
  });
});
