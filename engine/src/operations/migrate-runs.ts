import { compiledVersions, versionKey } from '../catalog/compiled-versions.ts';
import type { CompiledWorkflow } from '../compiler/compile.ts';
import { scopeOf } from '../compiler/scope.ts';
import { dueAt } from '../core/due.ts';
import { envFor } from '../core/env.ts';
import { isEventWait, type WorkflowDef } from '../definitions/types.ts';
import { AppError } from '../errors.ts';
import { inTransaction, jobId, startAfterSeconds } from '../queue/boss.ts';
import { QUEUES, type TimerJob } from '../queue/queues.ts';
import { audit } from '../store/audit-log.ts';
import type { Db } from '../store/db.ts';
import type { HourProfile } from '../store/engagement-hours.ts';
import {
  activeRunIdsOfVersion,
  type MigratedRun,
  restingSince,
  writeMigratedRuns,
} from '../store/run-migrations.ts';
import { loadForTransition, type RunRow } from '../store/runs.ts';
import { bestTimeCustomers, hourProfiles } from '../workers/best-time-hours.ts';
import type { RuntimeDeps } from '../workers/deps.ts';
import { type Place, placeIn } from './run-placement.ts';

export interface MigrationRequest {
  workflowId: string;
  from: number;
  to: number;
  /** Old state → new state. A state not named keeps its name when the new version has it. */
  map: Record<string, string>;
  /** Leave runs that have no place in the new version where they are, on the old version. */
  leave: boolean;
  dryRun: boolean;
  actor: string;
}

export interface MigrationPlan {
  workflow: string;
  from: number;
  to: number;
  dryRun: boolean;
  /** How many runs go from each old state to which new one. */
  moves: { from: string; to: string; runs: number }[];
  /** Runs with no place in the new version, per state, and why. */
  unplaced: { state: string; runs: number; reason: string }[];
  moved: number;
  left: number;
}

const MIGRATION_CHUNK = 2000;

/**
 * Moves the active runs of one version to another (DESIGN §4: publishing never does this by
 * itself). Each run keeps its position within its state: waiting stays waiting (the wait's time
 * counts from when the run began waiting, under the new version's wait), a run at its k-th step
 * stays at the k-th step (the new state must have the same step there, so a step job in flight
 * finishes into the new version). Everything moves in one transaction, or nothing does.
 */
export async function migrateRuns(deps: RuntimeDeps, req: MigrationRequest): Promise<MigrationPlan> {
  if (req.from === req.to) throw badMigration('from and to are the same version', 'to');
  const compiled = await compiledVersions(deps.db, [
    { workflowId: req.workflowId, version: req.from },
    { workflowId: req.workflowId, version: req.to },
  ]);
  const from = compiled.get(versionKey(req.workflowId, req.from));
  const to = compiled.get(versionKey(req.workflowId, req.to));
  if (!from)
    throw new AppError(404, 'not_found', `version ${req.from} of workflow "${req.workflowId}" not found`);
  if (!to)
    throw new AppError(404, 'not_found', `version ${req.to} of workflow "${req.workflowId}" not found`);
  checkMap(req.map, from.def, to.def, req);

  const run = async (db: Db) => {
    const ids = await activeRunIdsOfVersion(db, req.workflowId, req.from, !req.dryRun);
    const plan: MigrationPlan = {
      workflow: req.workflowId,
      from: req.from,
      to: req.to,
      dryRun: req.dryRun,
      moves: [],
      unplaced: [],
      moved: 0,
      left: 0,
    };
    const moves = new Map<string, { from: string; to: string; runs: number }>();
    const unplaced = new Map<string, { state: string; runs: number; reason: string }>();
    const now = deps.now();
    for (let i = 0; i < ids.length; i += MIGRATION_CHUNK) {
      const chunk = ids.slice(i, i + MIGRATION_CHUNK);
      const input = await loadForTransition(db, chunk, (row) => deps.customers.view(row));
      const since = req.dryRun ? new Map<string, Date>() : await restingSince(db, chunk);
      const hours = req.dryRun
        ? new Map<string, HourProfile>()
        : await hourProfiles(
            deps,
            db,
            bestTimeCustomers(
              deps,
              [...input.runs.values()].map((r) => ({ customerId: r.customerId, workflow: to })),
              input.customers,
            ),
          );
      const writes: MigratedRun[] = [];
      const timers: { id: string; data: TimerJob; due: Date }[] = [];
      for (const r of input.runs.values()) {
        const target = req.map[r.state] ?? (to.def.states[r.state] ? r.state : null);
        const place =
          target === null ? { reason: `v${req.to} has no state "${r.state}"` } : placeIn(r, from, to, target);
        if ('reason' in place) {
          const u = unplaced.get(`${r.state}\n${place.reason}`) ?? {
            state: r.state,
            runs: 0,
            reason: place.reason,
          };
          u.runs += 1;
          unplaced.set(`${r.state}\n${place.reason}`, u);
          continue;
        }
        const m = moves.get(`${r.state}\n${target}`) ?? { from: r.state, to: target as string, runs: 0 };
        m.runs += 1;
        moves.set(`${r.state}\n${target}`, m);
        if (req.dryRun) continue;
        const moved = move(
          deps,
          r,
          input.customers.get(r.customerId),
          to,
          place,
          since.get(r.id) ?? now,
          now,
          req,
          hours.get(r.customerId),
        );
        writes.push(moved.write);
        if (moved.timer) timers.push(moved.timer);
      }
      // Runs without a place abort the transaction below, unless they are to be left.
      if (!req.dryRun) {
        await writeMigratedRuns(db, writes, now);
        if (timers.length > 0) {
          // Relative to the engine's clock as the jobs are written (see startAfterSeconds).
          const at = deps.now();
          const jobs = timers.map((t) => ({
            id: t.id,
            data: t.data,
            startAfter: startAfterSeconds(t.due, at),
          }));
          await deps.boss.insert(QUEUES.timer, jobs, { db: inTransaction(db) });
        }
      }
    }
    plan.moves = [...moves.values()];
    plan.unplaced = [...unplaced.values()];
    const unplacedRuns = plan.unplaced.reduce((n, u) => n + u.runs, 0);
    if (!req.dryRun && unplacedRuns > 0 && !req.leave) {
      const list = plan.unplaced.map((u) => `"${u.state}" (${u.runs} runs: ${u.reason})`).join(', ');
      throw new MigrationRefused(
        `${unplacedRuns} runs have no place in v${req.to}: ${list}; map their states with --map old:new, or leave them on v${req.from} with --leave`,
        plan,
      );
    }
    plan.moved = plan.moves.reduce((n, m) => n + m.runs, 0);
    plan.left = unplacedRuns;
    if (!req.dryRun) {
      await audit(
        db,
        [
          {
            actor: req.actor,
            action: 'migrate-runs',
            entity: 'workflow',
            entityId: req.workflowId,
            detail: {
              from: req.from,
              to: req.to,
              map: req.map,
              leave: req.leave,
              moved: plan.moved,
              left: plan.left,
            },
          },
        ],
        now,
      );
    }
    return plan;
  };
  return req.dryRun ? run(deps.db) : deps.db.transaction().execute(run);
}

/** A refused migration: 409, with the plan that shows which runs had no place. */
export class MigrationRefused extends AppError {
  constructor(message: string, plan: MigrationPlan) {
    super(409, 'unmapped_states', message, { ...plan, moved: 0, left: 0 });
  }
}

const badMigration = (message: string, path: string) =>
  new AppError(422, 'bad_migration', message, [{ path, message }]);

function checkMap(
  map: Record<string, string>,
  from: WorkflowDef,
  to: WorkflowDef,
  req: MigrationRequest,
): void {
  for (const [old, target] of Object.entries(map)) {
    if (!from.states[old])
      throw badMigration(`--map ${old}:${target}: v${req.from} has no state "${old}"`, `map.${old}`);
    if (!to.states[target])
      throw badMigration(`--map ${old}:${target}: v${req.to} has no state "${target}"`, `map.${old}`);
  }
}

function move(
  deps: RuntimeDeps,
  run: RunRow,
  customer: Parameters<typeof envFor>[0],
  to: CompiledWorkflow,
  place: Place,
  since: Date,
  now: Date,
  req: MigrationRequest,
  hours: HourProfile | undefined,
): { write: MigratedRun; timer: { id: string; data: TimerJob; due: Date } | null } {
  const snapshot = { value: { [place.state]: place.sub }, context: run.snapshot.context };
  // A run at a step keeps its state entry, so the step's idempotency key (and a job in flight)
  // stays valid; a waiting run gets a new entry, which makes its old timer stale.
  const entry = place.wait ? run.entry + 1 : run.entry;
  const history: Record<string, unknown> = {
    from: { version: req.from, state: run.state },
    to: { version: req.to, state: place.state },
    by: req.actor,
  };
  let timer: { id: string; data: TimerJob; due: Date } | null = null;
  const wait = to.def.states[place.state]?.wait;
  if (place.wait && wait && (!isEventWait(wait) || wait.timeout)) {
    const env = envFor(customer, { ...run, version: req.to }, since, deps.config.defaultTimezone, { hours });
    const due = dueAt(wait, env, scopeOf(run.snapshot.context, env, null), to.def.limits);
    const purpose = isEventWait(wait) ? 'timeout' : 'delay';
    const at = due.at.getTime() < now.getTime() ? now : due.at;
    timer = {
      id: jobId(`${run.id}:${entry}:${purpose}`),
      data: { run: run.id, entry, state: place.state, purpose, dueAt: at.toISOString() },
      due: at,
    };
    history.dueAt = at.toISOString();
    history.waitingSince = since.toISOString();
  }
  return {
    write: { id: run.id, version: req.to, state: place.state, entry, snapshot, history },
    timer,
  };
}
