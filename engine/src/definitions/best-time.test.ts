import { describe, expect, it } from 'vitest';
import { PluginRegistry } from '../plugins-host/registry.ts';
import { parseBestTime } from './best-time.ts';
import { validateWorkflow } from './validate.ts';

const DAY = 86_400_000;

describe('bestTime in a workflow', () => {
  const registry = new PluginRegistry([]);
  const yaml = (value: string) => `
id: best
name: Best
trigger: { event: signup }
start: wait
states:
  wait:
    wait: { bestTime: ${value} }
    next: done
  done: { end: completed }
`;

  it('accepts "within <duration>" from an hour to a week', () => {
    expect(parseBestTime('within 24h')).toEqual({ ok: true, withinMs: DAY });
    expect(validateWorkflow(yaml('within 24h'), registry).ok).toBe(true);
  });

  it('refuses other windows with the place of the mistake', () => {
    for (const bad of ['24h', 'within 30m', 'within 9d', 'within soon']) {
      const v = validateWorkflow(yaml(bad), registry);
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.issues[0]).toMatchObject({ path: 'states.wait.wait.bestTime', line: 8 });
    }
  });
});
