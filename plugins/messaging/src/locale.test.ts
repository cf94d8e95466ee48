import { describe, expect, it } from 'vitest';
import { pickLocale } from './locale.ts';

describe('template locales', () => {
  it('exact, then same language, then the default', () => {
    expect(pickLocale(['en', 'zh-CN'], 'zh-CN', 'en')).toBe('zh-CN');
    expect(pickLocale(['en', 'zh-CN'], 'zh-TW', 'en')).toBe('zh-CN');
    expect(pickLocale(['en', 'zh-CN'], 'fr', 'en')).toBe('en');
    expect(pickLocale(['en'], null, 'zh-CN')).toBe('en');
    expect(pickLocale([], 'en', 'en')).toBeNull();
  });
});
