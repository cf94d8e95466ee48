import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({}, { workers: false });
});
afterAll(async () => {
  await engine?.stop();
});

const valid = `id: ok-flow
name: OK
trigger: { event: signup }
start: a
states:
  a: { end: completed }
`;

/** Each case: the YAML, the line the first error must point at, and words its message must use. */
const cases: [string, string, number, RegExp][] = [
  ['YAML syntax error', 'id: x\nname: [unclosed\ntrigger: {}\n', 3, /end with a \]/],
  [
    'duplicate key',
    'id: x\nname: a\nname: b\ntrigger: { event: e }\nstart: a\nstates:\n  a: { end: done }\n',
    3,
    /unique|duplicate/i,
  ],
  [
    'missing required key',
    'id: x\ntrigger: { event: e }\nstart: a\nstates:\n  a: { end: done }\n',
    1,
    /missing "name"/,
  ],
  [
    'unknown key with a suggestion',
    'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstats: {}\nstates:\n  a: { end: done }\n',
    5,
    /unknown key "stats".*states/,
  ],
  [
    'bad workflow id',
    'id: Win Back\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a: { end: done }\n',
    1,
    /lowercase/,
  ],
  [
    'unknown target',
    'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a: { next: bb }\n  b: { end: done }\n',
    6,
    /"bb" is not a state.*did you mean "b"/,
  ],
  [
    'unreachable state',
    'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a: { end: done }\n  lost: { end: done }\n',
    7,
    /never be reached/,
  ],
  [
    'dead end',
    'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n    steps: [ { uses: core.set, with: { values: { a: 1 } } } ]\n',
    6,
    /no way out/,
  ],
  [
    'two exits',
    'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a: { next: b, end: done }\n  b: { end: done }\n',
    6,
    /two ways out/,
  ],
  [
    'bad duration',
    'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n    wait: { for: 3 days }\n    next: b\n  b: { end: done }\n',
    7,
    /not a duration/,
  ],
  [
    'CEL that does not parse',
    "id: x\nname: X\ntrigger:\n  event: e\n  where: 'customer.attributes.age >'\nstart: a\nstates:\n  a: { end: done }\n",
    5,
    /CEL/,
  ],
  [
    'unknown plugin step',
    'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n    steps: [ { uses: test.noops } ]\n    next: b\n  b: { end: done }\n',
    7,
    /no installed plugin.*did you mean "test.noop"/,
  ],
  [
    'with: that breaks the step schema',
    'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n    steps:\n      - uses: test.slow\n        with: { ms: fast }\n    next: b\n  b: { end: done }\n',
    9,
    /"ms" must be a whole number/,
  ],
  [
    'two trigger kinds',
    'id: x\nname: X\ntrigger: { event: e, segment: vip }\nstart: a\nstates:\n  a: { end: done }\n',
    3,
    /keep exactly one/,
  ],
  [
    'on key the state does not wait for',
    'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n    wait: { event: order.placed }\n    on:\n      order.paid: b\n  b: { end: done }\n',
    9,
    /waits for order.placed, not "order.paid"/,
  ],
  [
    'choose without default',
    'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n    choose:\n      - when: "true"\n        next: b\n  b: { end: done }\n',
    7,
    /default/,
  ],
  ['a list instead of a workflow', '- a\n- b\n', 1, /map of keys/],
  ['empty file', '', 1, /empty/],
  [
    'bad template',
    'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n    steps:\n      - uses: test.noop\n        with: { subject: "Hi {{ customer.name | nosuchfilter }}" }\n    next: b\n  b: { end: done }\n',
    9,
    /template/,
  ],
  [
    'email template that does not exist',
    'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n    steps:\n      - uses: messaging.send\n        with: { channel: email, template: welcom }\n    end: done\n',
    9,
    /no email template "welcom".*did you mean "welcome"/,
  ],
  [
    'SMS template that exists only for email',
    'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n    steps:\n      - uses: messaging.send\n        with: { channel: sms, template: welcome }\n    end: done\n',
    9,
    /no sms template "welcome"/,
  ],
  [
    'survey that does not exist',
    'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n    steps:\n      - uses: surveys.send\n        with: { survey: csatt, channel: email }\n    end: done\n',
    9,
    /no survey "csatt".*did you mean "csat"/,
  ],
  [
    'segment trigger naming no saved segment',
    'id: x\nname: X\ntrigger: { segment: vipp }\nstart: a\nstates:\n  a: { end: done }\n',
    3,
    /no saved segment "vipp"/,
  ],
];

const split = '    split: [ { weight: 1, next: b }, { weight: 1, next: b } ]\n';
/** Experiments on a split: what the file says wrongly, at its line. */
cases.push(
  [
    'experiment without a split',
    'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n    next: b\n    experiment: { goal: { event: order.placed }, window: 7d }\n  b: { end: done }\n',
    8,
    /an experiment goes with a split/,
  ],
  [
    'experiment goal with both event and outcome',
    `id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n${split}    experiment:\n      goal: { event: order.placed, outcome: done }\n      window: 7d\n  b: { end: done }\n`,
    9,
    /exactly one of event or outcome/,
  ],
  [
    'experiment goal outcome no state ends with',
    `id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n${split}    experiment:\n      goal: { outcome: convertd }\n      window: 7d\n  b: { end: converted }\n`,
    9,
    /no state ends with "convertd".*did you mean "converted"/,
  ],
  [
    'experiment window that is not a duration',
    `id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n${split}    experiment:\n      goal: { event: order.placed }\n      window: a week\n  b: { end: done }\n`,
    10,
    /duration/,
  ],
  [
    'experiment holdout above half',
    `id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n${split}    experiment:\n      goal: { event: order.placed }\n      window: 7d\n      holdout: 80%\n  b: { end: done }\n`,
    11,
    /at most 50%/,
  ],
);

describe('invalid workflows', () => {
  it.each(cases)('%s → 422 at its line, nothing stored', async (_name, yaml, line, message) => {
    const r = await engine.api('POST', '/api/workflows', yaml, {
      headers: { 'content-type': 'application/yaml' },
    });
    expect(r.status).toBe(422);
    expect(r.body.errors.length).toBeGreaterThan(0);
    for (const e of r.body.errors) {
      expect(e).toEqual({
        path: expect.any(String),
        line: expect.any(Number),
        column: expect.any(Number),
        message: expect.any(String),
      });
    }
    const hit = r.body.errors.find((e: { line: number }) => e.line === line);
    expect(hit, JSON.stringify(r.body.errors)).toBeDefined();
    expect(r.body.errors.map((e: { message: string }) => e.message).join('\n')).toMatch(message);
    const list = await engine.api('GET', '/api/workflows');
    expect(list.body.workflows.map((w: { id: string }) => w.id)).not.toContain('x');
    const validate = await engine.api('POST', '/api/workflows/validate', yaml);
    expect(validate.body).toMatchObject({ valid: false, errors: r.body.errors });
  });

  it('says what is wrong in words, never in JSON Schema terms', async () => {
    // Email needs a template: the step's schema says so with if/then, which must not show.
    const yaml =
      'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n    steps:\n      - uses: messaging.send\n        with: { channel: email, extra: 1 }\n    next: b\n  b: { end: done }\n';
    const r = await engine.api('POST', '/api/workflows', yaml);
    expect(r.status).toBe(422);
    const messages = r.body.errors.map((e: { message: string }) => e.message).join('\n');
    expect(messages).toContain('"template" is required');
    expect(messages).toContain('"extra" is not a field here');
    const everything = [messages];
    for (const [, bad] of cases) {
      const answer = await engine.api('POST', '/api/workflows/validate', bad);
      everything.push(...answer.body.errors.map((e: { message: string }) => e.message));
    }
    expect(everything.join('\n')).not.toMatch(
      /must match|must NOT|"then" schema|allowed values|must have required/,
    );
  });

  it('reports every problem of a file at once', async () => {
    const yaml =
      'id: x\nname: X\ntrigger: { event: e }\nstart: a\nstates:\n  a:\n    wait: { for: soon }\n    next: nowhere\n  b: { end: done }\n';
    const r = await engine.api('POST', '/api/workflows', yaml);
    expect(r.status).toBe(422);
    const lines = r.body.errors.map((e: { line: number }) => e.line);
    expect(lines).toEqual(expect.arrayContaining([7, 8, 9]));
  });

  it('keeps what was stored when a later upload is invalid', async () => {
    const first = await engine.api('POST', '/api/workflows', valid);
    expect(first.status).toBe(201);
    const broken = await engine.api('POST', '/api/workflows', valid.replace('start: a', 'start: zz'));
    expect(broken.status).toBe(422);
    const detail = await engine.api('GET', '/api/workflows/ok-flow');
    expect(detail.body.versions).toHaveLength(1);
    const again = await engine.api('POST', '/api/workflows', valid);
    expect(again).toMatchObject({ status: 200, body: { id: 'ok-flow', version: 1 } });
    const yaml = await engine.api('GET', '/api/workflows/ok-flow/versions/1?format=yaml');
    expect(yaml.body).toBe(valid);
    expect((await engine.api('POST', '/api/workflows/ok-flow/publish', { version: 1 })).status).toBe(200);
    const trail = await engine.api('GET', '/api/audit?entity=workflow&entityId=ok-flow');
    expect(
      trail.body.entries.map((e: { action: string; actor: string }) => `${e.actor}:${e.action}`),
    ).toEqual(['bootstrap:publish', 'bootstrap:create-version']);
  });
});
