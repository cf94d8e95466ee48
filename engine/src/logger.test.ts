import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, sink: { write: (line: string) => lines.push(JSON.parse(line)) } };
}

describe('logger', () => {
  it('writes one JSON object per line with level, time, scope and the ids it is bound to', () => {
    const { lines, sink } = capture();
    const log = createLogger('info', 'json', sink).child('runtime').bind({ run: 'r1', customer: 'c1' });
    log.info('step failed', { workflow: 'welcome', attempt: 2 });
    log.debug('not written below the level');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      scope: 'tend:runtime',
      msg: 'step failed',
      run: 'r1',
      customer: 'c1',
      workflow: 'welcome',
      attempt: 2,
    });
    expect(new Date(lines[0]?.time as string).toISOString()).toBe(lines[0]?.time);
  });

  it('never writes personal data, at the top or one level down', () => {
    const { lines, sink } = capture();
    const log = createLogger('info', 'json', sink);
    log.warn('send refused', {
      email: 'mei@example.com',
      to: '+8613912345678',
      customer: { id: 'c1', name: '李梅', phone: '13912345678' },
    });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('mei@example.com');
    expect(text).not.toContain('13912345678');
    expect(text).not.toContain('李梅');
    expect(lines[0]).toMatchObject({ email: '[redacted]', customer: { id: 'c1', name: '[redacted]' } });
  });

  it('keeps a nested scope single and serialises errors with their message', () => {
    const { lines, sink } = capture();
    createLogger('info', 'json', sink)
      .child('runtime')
      .child('plugins')
      .error('boom', { error: new Error('no route to host') });
    expect(lines[0]?.scope).toBe('tend:runtime:plugins');
    expect(lines[0]?.error).toMatchObject({ type: 'Error', message: 'no route to host' });
  });
});
