import { evaluateCondition } from '@tend/plugin-sdk/cel';
import { assign } from 'xstate';
import { reportDiagnostic } from './diagnostics.ts';
import { type SplitExperiment, splitArm } from './experiment-route.ts';
import { customerEventOf, type MachineEvent, type RunContext, scopeOf } from './scope.ts';

/**
 * The named actions and guards every compiled workflow uses (XState `setup()`): the machine
 * config stays data, and these are its only code.
 */
type Args = { context: RunContext; event: unknown };

const envOf = (event: unknown) => {
  const e = event as MachineEvent & { input?: { env: MachineEvent['env'] } };
  return e.env ?? e.input?.env;
};

export const guards = {
  /** All of the CEL expressions are true (a wait's `where` and a branch's `when`). */
  cel: ({ context, event }: Args, params: { exprs: string[] }) => {
    const env = envOf(event);
    const scope = scopeOf(context, env, customerEventOf(event as MachineEvent));
    for (const expression of params.exprs) {
      const r = evaluateCondition(expression, scope);
      if (r.reason) reportDiagnostic({ expression, reason: r.reason });
      if (!r.result) return false;
    }
    return true;
  },
  /** Deterministic per customer and state (experiment-route.ts): this arm is the customer's. */
  split: (
    { event }: Args,
    params: { key: string; arm: number; weights: number[]; experiment: SplitExperiment | null },
  ) => {
    const env = envOf(event);
    const { arm } = splitArm(env.customer.id, params.key, params.weights, params.experiment, env.experiments);
    return arm === params.arm;
  },
};

export const actions = {
  // Markers: no effect inside the machine; the runtime turns them into history, jobs and timers.
  enter: (_: Args, _params: { state: string }) => {},
  runStep: (_: Args, _params: { state: string; index: number }) => {},
  startTimer: (_: Args, _params: { state: string }) => {},
  assigned: (_: Args, _params: { state: string; arm: number; experiment: SplitExperiment }) => {},

  saveStep: assign(({ context, event }: Args, params: { id: string | null; setVars: boolean }) => {
    const output = ((event as { output?: Record<string, unknown> }).output ?? {}) as Record<string, unknown>;
    return {
      steps: params.id ? { ...context.steps, [params.id]: output } : context.steps,
      vars: params.setVars ? { ...context.vars, ...output } : context.vars,
    };
  }),
  saveError: assign(({ context, event }: Args, params: { id: string | null }) => {
    const error = (event as { error?: unknown }).error;
    return { steps: params.id ? { ...context.steps, [params.id]: { error } } : context.steps };
  }),
  failRun: assign(({ event }: Args, params: { step: string }) => {
    const error = (event as { error?: { code: string; message: string } }).error;
    return {
      outcome: 'failed',
      error: { code: error?.code ?? 'failed', message: error?.message ?? 'step failed', step: params.step },
    };
  }),
  remember: assign(({ context, event }: Args) => ({
    lastEvent: customerEventOf(event as MachineEvent) ?? context.lastEvent,
  })),
  finish: assign(({ event }: Args, params: { outcome: string | null }) => ({
    outcome: params.outcome ?? String((event as { outcome?: string }).outcome ?? 'exited'),
  })),
};
