import { describe, expect, it } from 'vitest';
import testPlugin from '../../../tests/fixtures/plugins/test-steps.ts';
import { compileWorkflow } from '../compiler/compile.ts';
import type { TransitionEnv } from '../compiler/scope.ts';
import { validateWorkflow } from '../definitions/validate.ts';
import { PluginRegistry } from '../plugins-host/registry.ts';
import { applyEngineEvent, startRun } from './advance.ts';
import { deliverEvent } from './deliver-event.ts';
import { inlineRunner } from './inline-steps.ts';
import type { Advanced, RunPosition } from './types.ts';

const registry = new PluginRegistry([testPlugin]);
const inline = inlineRunner(registry);

function compile(yaml: string) {
  const v = validateWorkflow(yaml, registry);
  if (!v.ok) throw new Error(JSON.stringify(v.issues, null, 2));
  return compileWorkflow(v.def, v.hash);
}

const env = (now = '2026-03-02T08:00:00Z', customer: Record<string, unknown> = {}): TransitionEnv => ({
  customer: { id: 'c1', attributes: { country: 'CN' }, tags: [], ...customer },
  now: new Date(now),
  zone: 'Asia/Shanghai',
  run: { id: 'r1', key: null, startedAt: now, workflowId: 'wf', version: 1 },
});

const position = (a: Advanced): RunPosition => ({
  id: 'r1',
  workflowId: 'wf',
  version: 1,
  customerId: 'c1',
  key: null,
  startedAt: '2026-03-02T08:00:00Z',
  entry: a.entry,
  snapshot: a.snapshot,
  awaiting: null,
});

const trigger = { type: 'signup', data: { plan: 'pro' }, occurredAt: '2026-03-02T08:00:00Z', id: 'e1' };

const journey = `
id: wf
name: Test
trigger: { event: signup }
exit:
  - event: order.placed
    outcome: converted
start: hello
states:
  hello:
    steps:
      - uses: core.set
        with: { values: { plan: "{{ event.data.plan }}" } }
      - id: mail
        uses: test.noop
        with: { subject: hi }
    wait: { event: clicked, timeout: 2d }
    on:
      clicked:
        - when: 'event.data.link == "offer"'
          next: decide
        - next: done
      timeout: nudge
  nudge:
    wait: { for: 1d }
    next: decide
  decide:
    choose:
      - when: 'run.vars.plan == "pro"'
        next: vip
      - next: done
  vip:
    split:
      - { weight: 1, next: done }
      - { weight: 1, next: done2, label: holdout }
  done: { end: completed }
  done2: { end: holdout }
`;

describe('pure runtime', () => {
  it('runs inline steps at once and stops at the first job step', () => {
    const wf = compile(journey);
    const a = startRun(wf, env(), trigger, inline);
    expect(a.phase).toBe('steps');
    expect(a.snapshot.context.vars).toEqual({ plan: 'pro' });
    expect(a.effects).toEqual([
      { kind: 'step', state: 'hello', index: 1, entry: 1, key: 'r1:1:1', uses: 'test.noop' },
    ]);
    expect(a.history.map((h) => h.type)).toEqual(['run.started', 'state.entered', 'step.done']);
  });

  it('queues events while steps run and waits after them with a timeout timer', () => {
    const wf = compile(journey);
    const a = startRun(wf, env(), trigger, inline);
    const clicked = { type: 'clicked', data: { link: 'offer' }, occurredAt: '2026-03-02T08:00:01Z' };
    expect(deliverEvent(wf, position(a), clicked, env(), inline)).toEqual({ kind: 'queued' });
    const b = applyEngineEvent(
      wf,
      position(a),
      { type: 'tend.step.done', output: { id: 'm1' } },
      env(),
      inline,
    );
    expect(b.phase).toBe('wait-event');
    expect(b.snapshot.context.steps).toEqual({ mail: { id: 'm1' } });
    expect(b.effects).toEqual([
      {
        kind: 'timer',
        state: 'hello',
        entry: 1,
        dueAt: new Date('2026-03-04T08:00:00Z'),
        purpose: 'timeout',
      },
    ]);
    const c = deliverEvent(wf, position(b), clicked, env(), inline);
    expect(c.kind).toBe('matched');
    if (c.kind !== 'matched') return;
    expect(c.advanced.status).toBe('completed');
    expect(['completed', 'holdout']).toContain(c.advanced.outcome);
    expect(c.advanced.history.map((h) => h.state)).toContain('vip');
  });

  it('moves a run the same from the snapshot it just settled in as from one read back from the database', () => {
    const wf = compile(journey);
    const a = startRun(wf, env(), trigger, inline);
    const stored = { ...position(a), snapshot: JSON.parse(JSON.stringify(a.snapshot)) };
    const done = { type: 'tend.step.done', output: { id: 'm1' } } as const;
    const fresh = applyEngineEvent(wf, position(a), done, env(), inline);
    expect(fresh).toEqual(applyEngineEvent(wf, stored, done, env(), inline));
    const clicked = { type: 'clicked', data: { link: 'offer' }, occurredAt: '2026-03-02T08:00:01Z' };
    const readBack = { ...position(fresh), snapshot: JSON.parse(JSON.stringify(fresh.snapshot)) };
    expect(deliverEvent(wf, position(fresh), clicked, env(), inline)).toEqual(
      deliverEvent(wf, readBack, clicked, env(), inline),
    );
  });

  it('takes the timeout branch and a delay on timer events', () => {
    const wf = compile(journey);
    let a = startRun(wf, env(), trigger, inline);
    a = applyEngineEvent(wf, position(a), { type: 'tend.step.done', output: {} }, env(), inline);
    a = applyEngineEvent(wf, position(a), { type: 'tend.timer' }, env('2026-03-04T08:00:00Z'), inline);
    expect(a.state).toBe('nudge');
    expect(a.phase).toBe('wait-delay');
    expect(a.entry).toBe(2);
    a = applyEngineEvent(wf, position(a), { type: 'tend.timer' }, env('2026-03-05T08:00:00Z'), inline);
    expect(a.status).toBe('completed');
  });

  it('ends a run on an exit goal wherever it is', () => {
    const wf = compile(journey);
    const a = startRun(wf, env(), trigger, inline);
    const d = deliverEvent(
      wf,
      position(a),
      { type: 'order.placed', data: {}, occurredAt: '' },
      env(),
      inline,
    );
    expect(d.kind).toBe('exited');
    if (d.kind === 'exited') {
      expect(d.advanced).toMatchObject({ status: 'completed', outcome: 'converted', state: 'hello' });
    }
  });

  it('counts a condition that cannot be evaluated as false and records why', () => {
    const wf = compile(journey.replace('run.vars.plan == "pro"', 'customer.attributes.tier == "gold"'));
    let a = startRun(wf, env(), trigger, inline);
    a = applyEngineEvent(wf, position(a), { type: 'tend.step.done', output: {} }, env(), inline);
    a = applyEngineEvent(wf, position(a), { type: 'tend.timer' }, env(), inline);
    a = applyEngineEvent(wf, position(a), { type: 'tend.timer' }, env(), inline);
    expect(a.outcome).toBe('completed');
    expect(a.history.find((h) => h.type === 'condition.error')?.detail).toMatchObject({
      reason: expect.stringMatching(/tier/),
    });
  });

  it('splits customers deterministically, roughly by weight', () => {
    const wf = compile(journey);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const e = env('2026-03-02T08:00:00Z', { id: `c${i}` });
      let a = startRun(wf, e, trigger, inline);
      a = applyEngineEvent(wf, position(a), { type: 'tend.step.done', output: {} }, e, inline);
      const d = deliverEvent(
        wf,
        position(a),
        { type: 'clicked', data: { link: 'offer' }, occurredAt: '' },
        e,
        inline,
      );
      if (d.kind !== 'matched') throw new Error(d.kind);
      outcomes.set(d.advanced.outcome ?? '', (outcomes.get(d.advanced.outcome ?? '') ?? 0) + 1);
      const again = deliverEvent(
        wf,
        position(a),
        { type: 'clicked', data: { link: 'offer' }, occurredAt: '' },
        e,
        inline,
      );
      expect(again.kind === 'matched' && again.advanced.outcome).toBe(d.advanced.outcome);
    }
    expect(outcomes.get('completed')).toBeGreaterThan(150);
    expect(outcomes.get('holdout')).toBeGreaterThan(150);
  });

  it('routes a failed step by onError', () => {
    const wf = compile(`
id: wf
name: T
trigger: { event: signup }
start: a
states:
  a:
    steps:
      - { id: s1, uses: test.fail, onError: continue }
      - { id: s2, uses: test.fail, onError: { next: b } }
    next: c
  b: { end: rescued }
  c: { end: completed }
`);
    let a = startRun(wf, env(), trigger, inline);
    a = applyEngineEvent(
      wf,
      position(a),
      { type: 'tend.step.failed', error: { code: 'x', message: 'm' } },
      env(),
      inline,
    );
    expect(a.step).toBe(1);
    a = applyEngineEvent(
      wf,
      position(a),
      { type: 'tend.step.failed', error: { code: 'y', message: 'n' } },
      env(),
      inline,
    );
    expect(a).toMatchObject({ status: 'completed', outcome: 'rescued' });
    expect(a.snapshot.context.steps).toEqual({
      s1: { error: { code: 'x', message: 'm' } },
      s2: { error: { code: 'y', message: 'n' } },
    });
  });

  it('fails the run when a step fails without onError', () => {
    const wf = compile(`
id: wf
name: T
trigger: { event: signup }
start: a
states:
  a: { steps: [ { uses: test.fail } ], next: b }
  b: { end: completed }
`);
    let a = startRun(wf, env(), trigger, inline);
    a = applyEngineEvent(
      wf,
      position(a),
      { type: 'tend.step.failed', error: { code: 'x', message: 'm' } },
      env(),
      inline,
    );
    expect(a).toMatchObject({ status: 'failed', outcome: 'failed', state: 'a' });
  });
});
