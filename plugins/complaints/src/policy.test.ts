import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { escalationChain, ownerFor, POLICY_FILE, policyIssues } from './policy.ts';

const shipped = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../workflows', POLICY_FILE);

describe('the complaints policy file', () => {
  it('ships valid', () => {
    expect(policyIssues(readFileSync(shipped, 'utf8'))).toEqual([]);
  });

  it('locates what is wrong', () => {
    const text = [
      'categories:',
      '  - { id: product, label: Product }',
      'teams:',
      '  - { id: a, zone: Mars/Olympus, hours: { from: "18:00", to: "09:00" } }',
      'routes:',
      '  - { category: weather, owner: x }',
    ].join('\n');
    expect(policyIssues(text)).toEqual([
      { line: 6, column: 17, message: 'routes.0.category: no category "weather"' },
      { line: 4, column: 20, message: 'teams.0.zone: "Mars/Olympus" is not an IANA time zone' },
      { line: 4, column: 41, message: 'teams.0.hours: from must be before to' },
    ]);
    expect(policyIssues('deadlines:\n  high: { respond: soon, resolve: 1d }\n')[0]).toMatchObject({
      line: 2,
      message: expect.stringContaining('deadlines.high.respond'),
    });
    expect(policyIssues('categories: [')[0]?.line).toBe(1);
  });
});

describe('routing and escalation', () => {
  const policy = {
    categories: [{ id: 'billing', label: 'Billing' }],
    deadlines: {
      low: { respond: '1h', resolve: '1d' },
      medium: { respond: '1h', resolve: '1d' },
      high: { respond: '1h', resolve: '1d' },
    },
    teams: [{ id: 'sh', members: ['mei'], lead: 'zhang', manager: 'wang' }],
    routes: [
      { category: 'billing', owner: 'finance' },
      { store: 'bj-1', owner: 'bj-desk' },
    ],
    fallbackOwner: 'desk',
  };
  it('routes by category, then store, then the customer’s owner, then the fallback', () => {
    expect(ownerFor(policy, { category: 'billing', store: 'bj-1', customerOwner: 'mei' })).toBe('finance');
    expect(ownerFor(policy, { category: 'product', store: 'bj-1', customerOwner: 'mei' })).toBe('bj-desk');
    expect(ownerFor(policy, { category: 'product', store: null, customerOwner: 'mei' })).toBe('mei');
    expect(ownerFor(policy, { category: 'product', store: null, customerOwner: null })).toBe('desk');
    // Never refused for want of an owner: it waits, unassigned, for an admin to hand it on.
    const { fallbackOwner: _, ...without } = policy;
    expect(ownerFor(without, { category: 'product', store: null, customerOwner: null })).toBe('unassigned');
  });
  it('escalates to the team lead, then the manager', () => {
    expect(escalationChain(policy, 'mei')).toEqual(['mei', 'zhang', 'wang']);
    expect(escalationChain(policy, 'zhang')).toEqual(['zhang', 'wang']);
    expect(escalationChain(policy, 'wang')).toEqual(['wang', 'zhang']);
  });
});
