import { Ajv } from 'ajv';
import { issueAt, parseYaml } from '../definitions/yaml-source.ts';
import type { ValidationIssue } from '../errors.ts';

/** A journey test file (`workflows/tests/*.test.yaml`). */
export interface JourneyTestFile {
  workflow: string;
  tests: JourneyCase[];
}

export interface TestCustomer {
  id: string;
  timezone?: string;
  attributes?: Record<string, unknown>;
  tags?: string[];
  [field: string]: unknown;
}

export interface TestEvent {
  type: string;
  customer?: string;
  data?: Record<string, unknown>;
  /** Absolute time, or `after` a duration since the previous event (or the start). */
  at?: string;
  after?: string;
  id?: string;
}

export interface StepOverride {
  output?: Record<string, unknown>;
  fail?: { code: string; message?: string };
}

export interface Expectation {
  customer?: string;
  state?: string;
  status?: string;
  outcome?: string | null;
  vars?: Record<string, unknown>;
  steps?: Record<string, unknown>;
  ran?: string[];
  notRan?: string[];
  path?: string[];
  runs?: number;
}

export interface JourneyCase {
  name: string;
  customer?: TestCustomer;
  customers?: TestCustomer[];
  start?: string;
  events: TestEvent[];
  steps?: Record<string, StepOverride>;
  /** Keep the clock running this long after the last event (timers fire); default 400d. */
  until?: string;
  expect: Expectation | Expectation[];
}

const customer = {
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1 },
    timezone: { type: 'string' },
    attributes: { type: 'object' },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['id'],
};
const expectation = {
  type: 'object',
  properties: {
    customer: { type: 'string' },
    state: { type: 'string' },
    status: { type: 'string', enum: ['active', 'completed', 'failed', 'none'] },
    outcome: { type: ['string', 'null'] },
    vars: { type: 'object' },
    steps: { type: 'object' },
    ran: { type: 'array', items: { type: 'string' } },
    notRan: { type: 'array', items: { type: 'string' } },
    path: { type: 'array', items: { type: 'string' } },
    runs: { type: 'integer', minimum: 0 },
  },
  additionalProperties: false,
};
const schema = {
  type: 'object',
  properties: {
    workflow: { type: 'string', minLength: 1 },
    tests: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1 },
          customer,
          customers: { type: 'array', items: customer, minItems: 1 },
          start: { type: 'string' },
          events: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                type: { type: 'string', minLength: 1 },
                customer: { type: 'string' },
                data: { type: 'object' },
                at: { type: 'string' },
                after: { type: 'string' },
                id: { type: 'string' },
              },
              required: ['type'],
              additionalProperties: false,
            },
          },
          steps: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              properties: {
                output: { type: 'object' },
                fail: {
                  type: 'object',
                  properties: { code: { type: 'string' }, message: { type: 'string' } },
                  required: ['code'],
                  additionalProperties: false,
                },
              },
              additionalProperties: false,
            },
          },
          until: { type: 'string' },
          expect: { anyOf: [expectation, { type: 'array', items: expectation, minItems: 1 }] },
        },
        required: ['name', 'events', 'expect'],
        additionalProperties: false,
      },
    },
  },
  required: ['workflow', 'tests'],
  additionalProperties: false,
};

const check = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** Parses a test file; problems come back located like workflow errors. */
export function parseJourneyTests(
  text: string,
): { ok: true; file: JourneyTestFile } | { ok: false; issues: ValidationIssue[] } {
  const source = parseYaml(text);
  if (source.issues.length > 0) return { ok: false, issues: source.issues };
  if (check(source.value)) return { ok: true, file: source.value as unknown as JourneyTestFile };
  const issues = (check.errors ?? [])
    .filter((e) => !e.schemaPath.includes('/anyOf/'))
    .map((e) => {
      const path = e.instancePath
        .split('/')
        .slice(1)
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      return issueAt(source, path, `${path.join('.') || 'file'} ${e.message ?? 'is invalid'}`);
    });
  return { ok: false, issues };
}
