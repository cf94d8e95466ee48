import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  DURATION_PATTERN,
  durationMs,
  type FileIssue,
  type YamlProblem,
  yamlFileIssues,
} from '@tend/plugin-sdk';
import type { Weekday } from '@tend/plugin-sdk/time';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import type { WorkingHours } from './working-hours.ts';

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A team: its people, its working hours, and who a complaint goes to when it runs late. */
export interface Team {
  id: string;
  zone?: string;
  hours?: { days?: Weekday[]; from?: string; to?: string };
  members?: string[];
  lead?: string;
  manager?: string;
}

/** `workflows/service/complaints.yaml`: how this business handles complaints. */
export interface ComplaintPolicy {
  categories: { id: string; label: string | Record<string, string> }[];
  /** Working time to the first response and to resolution, per severity. */
  deadlines: Record<Severity, { respond: string; resolve: string }>;
  teams: Team[];
  /** Who owns a complaint of this category (or from this store) instead of the customer's owner. */
  routes: { category?: string; store?: string; owner: string }[];
  /** Owner of complaints whose customer has none and no route matches. */
  fallbackOwner?: string;
}

export const POLICY_FILE = 'service/complaints.yaml';

const DEFAULT_POLICY: ComplaintPolicy = {
  categories: [
    { id: 'product', label: { en: 'Product quality', 'zh-CN': '产品质量' } },
    { id: 'delivery', label: { en: 'Delivery', 'zh-CN': '配送' } },
    { id: 'service', label: { en: 'Staff and service', 'zh-CN': '服务态度' } },
    { id: 'billing', label: { en: 'Billing', 'zh-CN': '账单与付款' } },
    { id: 'other', label: { en: 'Other', 'zh-CN': '其他' } },
  ],
  deadlines: {
    high: { respond: '1h', resolve: '8h' },
    medium: { respond: '4h', resolve: '24h' },
    low: { respond: '8h', resolve: '40h' },
  },
  teams: [],
  routes: [],
};

const localized = {
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'object', additionalProperties: { type: 'string' }, minProperties: 1 },
  ],
};
const deadline = {
  type: 'object',
  properties: {
    respond: { type: 'string', pattern: DURATION_PATTERN },
    resolve: { type: 'string', pattern: DURATION_PATTERN },
  },
  required: ['respond', 'resolve'],
  additionalProperties: false,
};
const person = { type: 'string', minLength: 1, maxLength: 200 };
const schema = {
  type: 'object',
  properties: {
    categories: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: { id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' }, label: localized },
        required: ['id', 'label'],
        additionalProperties: false,
      },
    },
    deadlines: {
      type: 'object',
      properties: { low: deadline, medium: deadline, high: deadline },
      additionalProperties: false,
    },
    teams: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' },
          zone: { type: 'string', minLength: 1 },
          hours: {
            type: 'object',
            properties: {
              days: {
                type: 'array',
                minItems: 1,
                uniqueItems: true,
                items: { enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
              },
              from: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' },
              to: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' },
            },
            additionalProperties: false,
          },
          members: { type: 'array', items: person },
          lead: person,
          manager: person,
        },
        required: ['id'],
        additionalProperties: false,
      },
    },
    routes: {
      type: 'array',
      items: {
        type: 'object',
        properties: { category: { type: 'string' }, store: { type: 'string' }, owner: person },
        required: ['owner'],
        anyOf: [{ required: ['category'] }, { required: ['store'] }],
        additionalProperties: false,
      },
    },
    fallbackOwner: person,
  },
  additionalProperties: false,
};
const check = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** Problems the schema cannot see: a route to an unknown category, hours that end before they start. */
function meaningProblems(value: Partial<ComplaintPolicy>): YamlProblem[] {
  const out: YamlProblem[] = [];
  const categories = new Set((value.categories ?? DEFAULT_POLICY.categories).map((c) => c.id));
  (value.routes ?? []).forEach((r, i) => {
    if (r.category && !categories.has(r.category))
      out.push({
        path: ['routes', i, 'category'],
        message: `routes.${i}.category: no category "${r.category}"`,
      });
  });
  (value.teams ?? []).forEach((t, i) => {
    if (t.zone) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: t.zone });
      } catch {
        out.push({
          path: ['teams', i, 'zone'],
          message: `teams.${i}.zone: "${t.zone}" is not an IANA time zone`,
        });
      }
    }
    if (t.hours?.from && t.hours.to && t.hours.from >= t.hours.to)
      out.push({ path: ['teams', i, 'hours'], message: `teams.${i}.hours: from must be before to` });
  });
  return out;
}

/** Problems of the policy file, located (for `tend push` and `tend validate`). */
export function policyIssues(content: string): FileIssue[] {
  return yamlFileIssues<Partial<ComplaintPolicy>>(content, check, 'the policy', meaningProblems);
}

/** The policy in the workflows folder, re-read when it changes; the defaults while there is none. */
export class PolicyCatalog {
  readonly #file: string;
  #stamp = '';
  #policy: ComplaintPolicy = DEFAULT_POLICY;
  #problems: string[] = [];

  constructor(workflowsDir: string) {
    this.#file = path.join(workflowsDir, POLICY_FILE);
  }

  get(): ComplaintPolicy {
    this.#refresh();
    return this.#policy;
  }

  /** Why the file in the folder is not the policy in force (a broken file keeps the last good one). */
  problems(): string[] {
    this.#refresh();
    return this.#problems;
  }

  #refresh(): void {
    let stamp = 'none';
    try {
      stamp = String(statSync(this.#file).mtimeMs);
    } catch {}
    if (stamp === this.#stamp) return;
    this.#stamp = stamp;
    if (stamp === 'none') {
      this.#policy = DEFAULT_POLICY;
      this.#problems = [];
      return;
    }
    const content = readFileSync(this.#file, 'utf8');
    const issues = policyIssues(content);
    if (issues.length > 0) {
      this.#problems = issues.map((i) => `${POLICY_FILE}:${i.line}:${i.column}: ${i.message}`);
      return;
    }
    const value = (parse(content) ?? {}) as Partial<ComplaintPolicy>;
    this.#policy = {
      categories: value.categories ?? DEFAULT_POLICY.categories,
      deadlines: { ...DEFAULT_POLICY.deadlines, ...value.deadlines },
      teams: value.teams ?? [],
      routes: value.routes ?? [],
      ...(value.fallbackOwner ? { fallbackOwner: value.fallbackOwner } : {}),
    };
    this.#problems = [];
  }
}

/** One catalog per workflows folder (an engine has one; tests start several in one process). */
const catalogs = new Map<string, PolicyCatalog>();

/** The policy catalog of the installation a plugin context belongs to. */
export function policyFor(host: { workflowsDir: string }): PolicyCatalog {
  let catalog = catalogs.get(host.workflowsDir);
  if (!catalog) {
    catalog = new PolicyCatalog(host.workflowsDir);
    catalogs.set(host.workflowsDir, catalog);
  }
  return catalog;
}

/**
 * Who owns a complaint nobody else does (no route, no owner, no `fallbackOwner`): it is taken in
 * all the same (a customer's complaint is never refused for want of an owner) and waits in the
 * Complaints list, which admins and operators see whole.
 */
export const UNASSIGNED = 'unassigned';

/** Who owns a new complaint: a route by category or store, else the customer's owner. */
export function ownerFor(
  policy: ComplaintPolicy,
  complaint: { category: string; store: string | null; customerOwner: string | null },
): string {
  const route =
    policy.routes.find(
      (r) => r.category === complaint.category && (!r.store || r.store === complaint.store),
    ) ?? policy.routes.find((r) => !r.category && r.store && r.store === complaint.store);
  return route?.owner ?? complaint.customerOwner ?? policy.fallbackOwner ?? UNASSIGNED;
}

/** The team a person works in (as member, lead or manager); the first team when none names them. */
export function teamOf(policy: ComplaintPolicy, who: string): Team | null {
  return (
    policy.teams.find((t) => t.members?.includes(who) || t.lead === who || t.manager === who) ??
    policy.teams[0] ??
    null
  );
}

/** Each person of the policy's teams (member, lead or manager) → their team's id; the first team wins. */
export function teamsByPerson(policy: ComplaintPolicy): Map<string, string> {
  const teams = new Map<string, string>();
  for (const t of policy.teams) {
    for (const who of [...(t.members ?? []), t.lead, t.manager])
      if (who && !teams.has(who)) teams.set(who, t.id);
  }
  return teams;
}

/**
 * Who hears of a late complaint at each level: 0 is its owner, 1 the owner's team lead, 2 the
 * team's manager. Levels nobody holds (or held by the one already in charge) are skipped.
 */
export function escalationChain(policy: ComplaintPolicy, owner: string): string[] {
  const team = teamOf(policy, owner);
  const chain = [owner];
  for (const next of [team?.lead, team?.manager]) {
    if (next && !chain.includes(next)) chain.push(next);
  }
  return chain;
}

/** The working hours deadlines count in: the owner's team's, in its zone. */
export function hoursOf(policy: ComplaintPolicy, owner: string, defaultZone: string): WorkingHours {
  const team = teamOf(policy, owner);
  return {
    zone: team?.zone ?? defaultZone,
    days: team?.hours?.days ?? ['mon', 'tue', 'wed', 'thu', 'fri'],
    from: team?.hours?.from ?? '09:00',
    to: team?.hours?.to ?? '18:00',
  };
}

export const deadlineMs = (policy: ComplaintPolicy, severity: Severity) => ({
  respond: durationMs(policy.deadlines[severity].respond),
  resolve: durationMs(policy.deadlines[severity].resolve),
});
