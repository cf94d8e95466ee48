import { isStepError, type PluginContext, type StepEvent } from '@tend/plugin-sdk';
import type { TransitionEnv } from '../compiler/scope.ts';
import { renderConfigSync } from '../definitions/liquid.ts';
import type { StepDef } from '../definitions/types.ts';
import type { StepLookup } from './step-lookup.ts';

export type InlineResult =
  | { ok: true; output: Record<string, unknown> }
  | { ok: false; error: { code: string; message: string; kind: string } };

/** Runs pure steps (manifest `inline: true`) inside the transition, without a job round trip. */
export interface InlineStepRunner {
  isInline(uses: string): boolean;
  run(
    step: StepDef,
    scope: Record<string, unknown>,
    env: TransitionEnv,
    meta: { state: string; index: number; key: string },
  ): InlineResult;
}

export function inlineRunner(registry: StepLookup): InlineStepRunner {
  return {
    isInline: (uses) => registry.get(uses)?.def.inline === true,
    run(step, scope, env, meta) {
      const loaded = registry.get(step.uses);
      if (!loaded) return { ok: false, error: { code: 'unknown_step', message: step.uses, kind: 'engine' } };
      try {
        const config = renderConfigSync(step.with ?? {}, scope) as Record<string, unknown>;
        const result = loaded.def.run({
          config,
          customer: env.customer as never,
          journey: { id: env.run.workflowId, version: env.run.version, name: env.run.workflowId, limits: {} },
          run: {
            id: env.run.id,
            workflowId: env.run.workflowId,
            version: env.run.version,
            state: meta.state,
            key: env.run.key,
            ...runData(scope),
          },
          event: (scope.event as StepEvent | null) ?? null,
          step: { id: step.id ?? null, uses: step.uses, index: meta.index },
          attempt: 1,
          idempotencyKey: meta.key,
          signal: new AbortController().signal,
          now: env.now,
          store: noStore,
          log: quietLog,
          services: noServices,
        });
        if (result instanceof Promise) throw new Error(`inline step ${step.uses} must not be async`);
        if (result.status !== 'done') throw new Error(`inline step ${step.uses} cannot wait`);
        return { ok: true, output: (result.output ?? {}) as Record<string, unknown> };
      } catch (error) {
        const e = isStepError(error) ? error : null;
        return {
          ok: false,
          error: {
            code: e?.code ?? 'step_error',
            message: (error as Error).message,
            kind: e?.kind ?? 'engine',
          },
        };
      }
    },
  };
}

const noStore = {
  get: async () => undefined,
  set: async () => {
    throw new Error('inline steps have no store');
  },
  delete: async () => {},
};
const quietLog = { info: () => {}, warn: () => {}, error: () => {} };

/** Inline steps are pure: any use of a service is a plugin bug, reported as such. */
const noServices = new Proxy({} as PluginContext, {
  get: (_, name) => {
    throw new Error(`inline steps have no services (tried services.${String(name)})`);
  },
});

/** run.vars and run.steps from a CEL/Liquid scope. */
export function runData(scope: Record<string, unknown>): {
  vars: Record<string, unknown>;
  steps: Record<string, unknown>;
} {
  const run = (scope.run ?? {}) as { vars?: Record<string, unknown>; steps?: Record<string, unknown> };
  return { vars: run.vars ?? {}, steps: run.steps ?? {} };
}
