import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('TEND_RETAIN_EVENTS_DAYS', () => {
  it('keeps every event unless told, and takes a number of days', () => {
    expect(loadConfig({}).retainEventsDays).toBe(0);
    expect(loadConfig({ TEND_RETAIN_EVENTS_DAYS: '0' }).retainEventsDays).toBe(0);
    expect(loadConfig({ TEND_RETAIN_EVENTS_DAYS: '31' }).retainEventsDays).toBe(31);
    expect(loadConfig({ TEND_RETAIN_EVENTS_DAYS: '400' }).retainEventsDays).toBe(400);
  });

  it('refuses less than a month, or what is no number of days', () => {
    for (const bad of ['1', '30', '-1', '1.5', 'year']) {
      expect(() => loadConfig({ TEND_RETAIN_EVENTS_DAYS: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ TEND_RETAIN_EVENTS_DAYS: bad }), bad).toThrow(/TEND_RETAIN_EVENTS_DAYS/);
    }
  });
});
