import {
  isStepError,
  type JourneyInfo,
  type StepEvent,
  type StepResult,
  type StepRun,
  type StepServices,
  type StepStore,
  schemaProblem,
} from '@tend/plugin-sdk';
import type { CustomerView } from '../customers/types.ts';
import { renderConfig } from '../definitions/liquid.ts';
import type { StepDef } from '../definitions/types.ts';
import type { Logger } from '../logger.ts';
import type { LoadedStep } from '../plugins-host/registry.ts';
import type { Db } from '../store/db.ts';
import { pluginStore } from '../store/plugin-store.ts';

export type StepOutcome =
  | { kind: 'done'; output: Record<string, unknown> }
  | { kind: 'wait'; event: string; timeoutMs: number | null }
  | { kind: 'defer'; until: Date; reason: string }
  | { kind: 'failed'; error: { code: string; message: string; kind: string }; retryable: boolean };

export interface StepCall {
  loaded: LoadedStep;
  step: StepDef;
  scope: Record<string, unknown>;
  customer: CustomerView;
  run: StepRun;
  event: StepEvent | null;
  journey: JourneyInfo;
  index: number;
  attempt: number;
  idempotencyKey: string;
  now: Date;
  shutdown: AbortSignal;
  services: StepServices;
}

/**
 * Runs one plugin step: renders its templates, checks the result against its schema, enforces its
 * time budget, and turns whatever it throws into a StepError-shaped failure.
 */
export async function executeStep(db: Db, log: Logger, call: StepCall): Promise<StepOutcome> {
  const { loaded } = call;
  let config: Record<string, unknown>;
  try {
    config = (await renderConfig(call.step.with ?? {}, call.scope)) as Record<string, unknown>;
  } catch (error) {
    return failed('template', `a template in with: failed: ${(error as Error).message}`, 'user', false);
  }
  if (!loaded.checkConfig(config)) {
    const why = loaded.checkConfig.errors?.find((e) => schemaProblem(e) !== null);
    return failed(
      'invalid_config',
      `with: after templates ${why?.instancePath || ''} ${why ? schemaProblem(why) : 'is not valid'}`.replace(
        / +/g,
        ' ',
      ),
      'user',
      false,
    );
  }
  const budget = new StepBudget(call.shutdown, loaded.retry.timeoutSeconds * 1000);
  let store: StepStore | undefined;
  let stepLog: Logger | undefined;
  let result: StepResult;
  try {
    const returned = loaded.def.run({
      config,
      customer: call.customer,
      run: call.run,
      event: call.event,
      journey: call.journey,
      step: { id: call.step.id ?? null, uses: call.step.uses, index: call.index },
      attempt: call.attempt,
      idempotencyKey: call.idempotencyKey,
      get signal() {
        return budget.signal;
      },
      now: call.now,
      // Made on first use too: most steps never touch them.
      get store() {
        store ??= pluginStore(db, loaded.plugin.name);
        return store;
      },
      get log() {
        stepLog ??= log
          .child(loaded.id)
          .bind({ run: call.run.id, customer: call.customer.id, workflow: call.run.workflowId });
        return stepLog;
      },
      services: call.services,
    });
    // A step that answered at once has nothing left to time out or abort.
    result = isPromiseLike(returned) ? await budget.race(returned) : returned;
  } catch (error) {
    if (budget.timedOut)
      return failed('timeout', `no answer within ${loaded.retry.timeoutSeconds}s`, 'engine', true);
    if (isStepError(error)) return failed(error.code, error.message, error.kind, error.retryable);
    return failed('unexpected', (error as Error)?.message ?? String(error), 'engine', true);
  }
  if (typeof result !== 'object' || result === null)
    return failed(
      'bad_output',
      `${loaded.id} answered ${String(result)}, not a step result`,
      'engine',
      false,
    );
  if (result.status === 'wait') {
    if (loaded.def.awaits && !loaded.def.awaits.includes(result.event))
      return failed(
        'undeclared_wait',
        `${loaded.id} waited for ${result.event}, which its manifest's awaits does not name`,
        'engine',
        false,
      );
    return { kind: 'wait', event: result.event, timeoutMs: result.timeoutMs ?? null };
  }
  if (result.status === 'defer')
    return { kind: 'defer', until: new Date(result.until), reason: result.reason };
  const output = (result.output ?? {}) as Record<string, unknown>;
  if (loaded.checkOutput && !loaded.checkOutput(output)) {
    return failed('bad_output', `${loaded.id} returned output that breaks its schema`, 'engine', false);
  }
  return { kind: 'done', output };
}

const isPromiseLike = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as PromiseLike<T> | null)?.then === 'function';

/**
 * A step's time budget and the process's shutdown: either ends the wait for the step's answer.
 * The timer and the shutdown listener are set only while an answer is awaited, and the step's
 * AbortSignal is made only when the step reads `ctx.signal`: most steps do neither, and a batch
 * runs hundreds of them.
 */
class StepBudget {
  #controller: AbortController | null = null;
  #ended: { reason: unknown } | null = null;
  timedOut = false;

  private readonly shutdown: AbortSignal;
  private readonly ms: number;

  constructor(shutdown: AbortSignal, ms: number) {
    this.shutdown = shutdown;
    this.ms = ms;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#ended) this.#controller.abort(this.#ended.reason);
    }
    return this.#controller.signal;
  }

  async race<T>(answer: PromiseLike<T>): Promise<T> {
    let stop: (reason: unknown) => void = () => {};
    const ended = new Promise<never>((_, reject) => {
      stop = reject;
    });
    const end = (reason: unknown) => {
      this.#ended = { reason };
      this.#controller?.abort(reason);
      stop(reason);
    };
    const onShutdown = () => end(this.shutdown.reason);
    // A signal that aborted already never fires: the shutdown may have begun while the step ran.
    if (this.shutdown.aborted) onShutdown();
    else this.shutdown.addEventListener('abort', onShutdown, { once: true });
    const timer = setTimeout(() => {
      this.timedOut = true;
      end(new Error('step timed out'));
    }, this.ms);
    try {
      return await Promise.race([answer, ended]);
    } finally {
      clearTimeout(timer);
      this.shutdown.removeEventListener('abort', onShutdown);
    }
  }
}

function failed(code: string, message: string, kind: string, retryable: boolean): StepOutcome {
  return { kind: 'failed', error: { code, message, kind }, retryable };
}
