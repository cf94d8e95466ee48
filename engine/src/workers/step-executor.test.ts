import { definePlugin, StepError, type StepServices } from '@tend/plugin-sdk';
import { describe, expect, it } from 'vitest';
import type { CustomerView } from '../customers/types.ts';
import { createLogger } from '../logger.ts';
import { PluginRegistry } from '../plugins-host/registry.ts';
import type { Db } from '../store/db.ts';
import { executeStep } from './step-executor.ts';

const never = new Promise<never>(() => {});
const aborted: unknown[] = [];

const plugin = definePlugin({
  name: 'x',
  version: '1.0.0',
  steps: [
    {
      name: 'now',
      title: 'Answers at once',
      description: '',
      configSchema: { type: 'object' },
      run: ({ config }) => ({ status: 'done', output: { echo: config.text } }),
    },
    {
      name: 'later',
      title: 'Answers after a while',
      description: '',
      configSchema: { type: 'object' },
      run: async () => {
        await new Promise((r) => setTimeout(r, 10));
        return { status: 'done', output: { late: true } };
      },
    },
    {
      name: 'refuses',
      title: 'Throws a StepError at once',
      description: '',
      configSchema: { type: 'object' },
      run: () => {
        throw new StepError('nope', 'not today', { kind: 'user' });
      },
    },
    {
      name: 'mumbles',
      title: 'Answers nothing',
      description: '',
      configSchema: { type: 'object' },
      run: () => undefined as never,
    },
    {
      name: 'hangs',
      title: 'Never answers',
      description: '',
      configSchema: { type: 'object' },
      retry: { timeoutSeconds: 0.05 },
      run: () => never,
    },
    {
      name: 'listens',
      title: 'Never answers, notes why its signal aborted',
      description: '',
      configSchema: { type: 'object' },
      run: ({ signal }) => {
        signal.addEventListener('abort', () => aborted.push(signal.reason));
        return never;
      },
    },
  ],
});

const registry = new PluginRegistry([plugin]);

function call(uses: string, shutdown = new AbortController().signal, text = '{{ customer.id }}') {
  const loaded = registry.get(uses);
  if (!loaded) throw new Error(`no ${uses}`);
  return {
    loaded,
    step: { uses, with: { text } },
    scope: { customer: { id: 'ann' } },
    customer: { id: 'ann' } as CustomerView,
    run: { id: 'r1', workflowId: 'w', version: 1, state: 's', key: null, vars: {}, steps: {} },
    event: null,
    journey: { id: 'w', version: 1, name: 'W', limits: {} },
    index: 0,
    attempt: 1,
    idempotencyKey: 'r1:1:0',
    now: new Date(),
    shutdown,
    services: {} as StepServices,
  };
}

// These steps never open their plugin store or call a service, so neither the database nor the
// services are reached: what is tested is the executor's own handling of answers, time and shutdown.
const run = (c: ReturnType<typeof call>) => executeStep({} as Db, createLogger('error'), c);

describe('executeStep', () => {
  it('takes the answer of a step that answers at once, with its templates rendered', async () => {
    expect(await run(call('x.now'))).toEqual({ kind: 'done', output: { echo: 'ann' } });
  });

  it('waits for a step that answers later', async () => {
    expect(await run(call('x.later'))).toEqual({ kind: 'done', output: { late: true } });
  });

  it('turns a StepError thrown at once into a failure the journey can route', async () => {
    expect(await run(call('x.refuses'))).toEqual({
      kind: 'failed',
      error: { code: 'nope', message: 'not today', kind: 'user' },
      retryable: false,
    });
  });

  it('turns an answer that is not a step result into a failure, not an exception', async () => {
    expect(await run(call('x.mumbles'))).toEqual({
      kind: 'failed',
      error: {
        code: 'bad_output',
        message: 'x.mumbles answered undefined, not a step result',
        kind: 'engine',
      },
      retryable: false,
    });
  });

  it('gives up on a step past its time budget, as a retryable timeout', async () => {
    const outcome = await run(call('x.hangs'));
    expect(outcome).toMatchObject({ kind: 'failed', error: { code: 'timeout' }, retryable: true });
  });

  it("ends the wait at shutdown and aborts the step's signal", async () => {
    const shutdown = new AbortController();
    const hanging = run(call('x.hangs', shutdown.signal));
    const listening = run(call('x.listens', shutdown.signal));
    shutdown.abort(new Error('engine shutting down'));
    expect(await hanging).toMatchObject({
      kind: 'failed',
      error: { code: 'unexpected', message: 'engine shutting down' },
    });
    expect(await listening).toMatchObject({ kind: 'failed', error: { code: 'unexpected' } });
    expect(aborted).toEqual([new Error('engine shutting down')]);
  });

  it('fails a step whose template loops a hundred million times at once, as a template error not retried', async () => {
    const start = performance.now();
    const outcome = await run(call('x.now', undefined, '{% for i in (1..100000000) %}{{ i }}{% endfor %}'));
    expect(outcome).toMatchObject({
      kind: 'failed',
      error: {
        code: 'template',
        kind: 'user',
        message: expect.stringMatching(/memory alloc limit exceeded/),
      },
      retryable: false,
    });
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
