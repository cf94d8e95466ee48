import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe.each([
  ['TEND_RETAIN_EVENTS_DAYS', 'retainEventsDays'],
  ['TEND_RETAIN_RUN_HISTORY_DAYS', 'retainRunHistoryDays'],
] as const)('%s', (name, field) => {
  it('keeps everything unless told, and takes a number of days', () => {
    expect(loadConfig({})[field]).toBe(0);
    expect(loadConfig({ [name]: '0' })[field]).toBe(0);
    expect(loadConfig({ [name]: '31' })[field]).toBe(31);
    expect(loadConfig({ [name]: '400' })[field]).toBe(400);
  });

  it('refuses less than a month, or what is no number of days', () => {
    for (const bad of ['1', '30', '-1', '1.5', 'year']) {
      expect(() => loadConfig({ [name]: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: bad }), bad).toThrow(new RegExp(name));
    }
  });

  it('is read apart from the other kind of data', () => {
    const other = name === 'TEND_RETAIN_EVENTS_DAYS' ? 'retainRunHistoryDays' : 'retainEventsDays';
    expect(loadConfig({ [name]: '90' })[other]).toBe(0);
  });
});
