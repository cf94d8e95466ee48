import type { CompiledWorkflow } from '../compiler/compile.ts';
import type { TransitionEnv } from '../compiler/scope.ts';
import { deliverEvent } from '../core/deliver-event.ts';
import { keepsEvent } from '../core/keeps-event.ts';
import type { StoredEvent } from '../store/events.ts';
import type { RunRow } from '../store/runs.ts';
import type { RuntimeDeps } from './deps.ts';
import type { UnitOfWork } from './unit-of-work.ts';

/** Offers one customer event to one active run and records what became of it. */
export function offer(
  deps: RuntimeDeps,
  uow: UnitOfWork,
  wf: CompiledWorkflow,
  run: RunRow,
  event: StoredEvent,
  env: TransitionEnv,
): 'moved' | 'queued' | 'ignored' {
  const offered = deliverEvent(wf, run, event, env, deps.inline);
  const delivery =
    offered.kind === 'queued' && !keepsEvent(wf, run, event.type, deps.registry)
      ? ({ kind: 'ignored', reason: `no state of this journey waits for ${event.type}` } as const)
      : offered;
  const detail = { event: event.type, eventId: event.id };
  switch (delivery.kind) {
    case 'exited':
    case 'matched':
      uow.advance(run, delivery.advanced);
      return 'moved';
    case 'queued':
      uow.queue(run, event);
      uow.note(run.id, { at: env.now, type: 'event.queued', state: run.state, step: null, detail });
      return 'queued';
    case 'ignored':
      uow.note(run.id, {
        at: env.now,
        type: 'event.ignored',
        state: run.state,
        step: null,
        detail: { ...detail, reason: delivery.reason },
      });
      return 'ignored';
  }
}

/**
 * After a run leaves its steps, the events that waited in its inbox are offered in order,
 * until one moves the run into steps again (the rest keep waiting) or the inbox is empty.
 */
export function settleInbox(
  deps: RuntimeDeps,
  uow: UnitOfWork,
  wf: CompiledWorkflow,
  run: RunRow,
  queued: StoredEvent[],
  env: () => TransitionEnv,
): void {
  for (const event of queued) {
    if (run.status !== 'active' || run.phase === 'steps') return;
    uow.unqueue(run.id, event.seq);
    offer(deps, uow, wf, run, event, env());
  }
}
