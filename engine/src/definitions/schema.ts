/**
 * JSON Schema of workflow YAML v1 (DESIGN §3). Shape only: references between states, CEL,
 * durations and plugin configs are checked by the semantic pass. `x-hint` holds the sentence a
 * marketer sees when the value breaks the rule.
 */
const ID = '^[a-z0-9][a-z0-9-]*$';
const STATE_NAME = '^[a-z0-9][a-z0-9_-]*$';
const STEP_ID = '^[A-Za-z_][A-Za-z0-9_]*$';
const EVENT_TYPE = '^[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)*$';
const OUTCOME = '^[a-z][a-z0-9_-]*$';
const TIME_OF_DAY = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
const PLUGIN_STEP = '^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*$';

const str = (hint?: string, pattern?: string) => ({
  type: 'string',
  minLength: 1,
  ...(pattern ? { pattern } : {}),
  ...(hint ? { 'x-hint': hint } : {}),
});

const stateRef = str('must name a state (lowercase letters, digits, - and _)', STATE_NAME);
const cel = str('must be a CEL expression');
const duration = str('must be a duration such as 30s, 15m, 2h, 7d, 2w or P7D');
const eventType = str('must be an event type such as order.placed', EVENT_TYPE);
const timeOfDay = str('must be a time of day such as 09:00', TIME_OF_DAY);

const branch = {
  type: 'object',
  properties: { when: cel, next: stateRef, label: str() },
  required: ['next'],
  additionalProperties: false,
};

const splitBranch = {
  type: 'object',
  properties: {
    weight: { type: 'number', minimum: 0, 'x-hint': 'must be a number of 0 or more' },
    next: stateRef,
    label: str(),
  },
  required: ['weight', 'next'],
  additionalProperties: false,
};

const experiment = {
  type: 'object',
  properties: {
    goal: {
      type: 'object',
      properties: { event: eventType, where: cel, outcome: str('must be an outcome', OUTCOME) },
      additionalProperties: false,
      'x-hint': 'must be { event: <type>, where?: <CEL> } or { outcome: <outcome> }',
    },
    window: duration,
    pick: { type: 'string', enum: ['auto', 'off'], 'x-hint': 'must be auto or off' },
    holdout: {
      anyOf: [
        { type: 'number', minimum: 0, maximum: 50 },
        { type: 'string', pattern: '^[0-9]{1,2}(\\.[0-9]+)?%$' },
      ],
      'x-hint': 'must be a share of entrants from 0% to 50%, such as 10%',
    },
  },
  required: ['goal', 'window'],
  additionalProperties: false,
};

const step = {
  type: 'object',
  properties: {
    id: str('must be a name like mail1 (letters, digits and _)', STEP_ID),
    name: str(),
    uses: str('must name a plugin step such as messaging.send', PLUGIN_STEP),
    with: { type: 'object' },
    onError: {
      anyOf: [
        { type: 'string', enum: ['fail', 'continue'] },
        {
          type: 'object',
          properties: { next: stateRef },
          required: ['next'],
          additionalProperties: false,
        },
      ],
      'x-hint': 'must be fail, continue, or { next: <state> }',
    },
  },
  required: ['uses'],
  additionalProperties: false,
};

const wait = {
  type: 'object',
  properties: {
    event: {
      anyOf: [eventType, { type: 'array', items: eventType, minItems: 1, uniqueItems: true }],
      'x-hint': 'must be an event type or a list of event types',
    },
    timeout: duration,
    where: cel,
    for: duration,
    until: cel,
    at: timeOfDay,
    bestTime: str('must be "within <duration>", such as within 24h', '^within\\s+\\S+$'),
    weekdays: {
      type: 'array',
      items: {
        type: 'string',
        enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        'x-hint': 'must be one of mon, tue, wed, thu, fri, sat, sun',
      },
      minItems: 1,
      uniqueItems: true,
    },
  },
  additionalProperties: false,
};

const state = {
  type: 'object',
  properties: {
    description: { type: 'string' },
    steps: { type: 'array', items: step },
    next: stateRef,
    choose: { type: 'array', items: branch, minItems: 1 },
    split: { type: 'array', items: splitBranch, minItems: 1 },
    experiment,
    end: str('must be an outcome such as completed or converted', OUTCOME),
    wait,
    on: {
      type: 'object',
      additionalProperties: {
        anyOf: [stateRef, { type: 'array', items: branch, minItems: 1 }],
        'x-hint': 'must name a state, or list branches of { when?, next }',
      },
    },
  },
  additionalProperties: false,
};

const trigger = {
  type: 'object',
  properties: {
    event: eventType,
    segment: str('must name a segment', ID),
    stage: str('must name a lifecycle stage', ID),
    schedule: {
      type: 'object',
      properties: { cron: str('must be a cron expression such as "0 9 * * 1"'), tz: str() },
      required: ['cron'],
      additionalProperties: false,
    },
    date: {
      type: 'object',
      properties: { attribute: str(), at: timeOfDay, offset: str() },
      required: ['attribute'],
      additionalProperties: false,
    },
    lunar: {
      type: 'object',
      properties: {
        month: { type: 'integer', minimum: 1, maximum: 12, 'x-hint': 'must be a month from 1 to 12' },
        day: { type: 'integer', minimum: 1, maximum: 30, 'x-hint': 'must be a day from 1 to 30' },
        at: timeOfDay,
        leap: { type: 'boolean' },
      },
      required: ['month', 'day'],
      additionalProperties: false,
    },
    predicted: {
      type: 'object',
      properties: {
        churn: str('must be a comparison such as "> 0.7"'),
        aliveProbability: str('must be a comparison such as "< 0.3"'),
        orders90d: str('must be a comparison such as ">= 1"'),
        value: str('must be a comparison such as "> 500"'),
      },
      minProperties: 1,
      additionalProperties: false,
    },
    where: cel,
    key: cel,
  },
  additionalProperties: false,
};

export const workflowSchema = {
  $id: 'https://tend.dev/schemas/workflow-v1.json',
  type: 'object',
  properties: {
    id: str('must be lowercase letters, digits and dashes, e.g. win-back', ID),
    name: str(),
    description: { type: 'string' },
    stage: str(),
    trigger,
    entry: {
      type: 'object',
      properties: {
        reenter: str('must be never, always, or "after <duration>" such as after 90d'),
      },
      additionalProperties: false,
    },
    exit: {
      type: 'array',
      items: {
        type: 'object',
        properties: { event: eventType, where: cel, outcome: str('must be an outcome', OUTCOME) },
        required: ['event', 'outcome'],
        additionalProperties: false,
      },
    },
    limits: {
      type: 'object',
      properties: {
        quietHours: {
          type: 'object',
          properties: { from: timeOfDay, to: timeOfDay },
          required: ['from', 'to'],
          additionalProperties: false,
        },
        frequencyCap: {
          type: 'object',
          properties: {
            messages: { type: 'integer', minimum: 1, 'x-hint': 'must be a whole number of 1 or more' },
            per: duration,
          },
          required: ['messages', 'per'],
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
    start: stateRef,
    states: {
      type: 'object',
      propertyNames: { pattern: STATE_NAME },
      additionalProperties: state,
      minProperties: 1,
    },
  },
  required: ['id', 'name', 'trigger', 'start', 'states'],
  additionalProperties: false,
} as const;
