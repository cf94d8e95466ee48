import type { Translate } from '../i18n/i18n.tsx';
import {
  awaitedEvents,
  type StateDef,
  type StepDef,
  type TriggerDef,
  triggerKind,
  type WaitDef,
} from '../model/def.ts';
import type { EdgeCause } from '../model/graph.ts';

const short = (s: string, n = 40) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A step's most telling settings in a few words (`email · we-miss-you`). */
export function stepDetail(step: StepDef): string {
  const values = Object.values(step.with ?? {}).filter((v) => typeof v === 'string' || typeof v === 'number');
  return short(values.slice(0, 2).map(String).join(' · '), 36);
}

export function waitText(t: Translate, wait: WaitDef): string {
  if ('event' in wait) {
    const events = awaitedEvents(wait).join(', ');
    return wait.timeout
      ? t('node.waitEventTimeout', { events, timeout: wait.timeout })
      : t('node.waitEvent', { events });
  }
  if ('for' in wait) return t('node.waitFor', { duration: String(wait.for) });
  if ('until' in wait) return t('node.waitUntil', { expression: short(String(wait.until), 30) });
  if ('bestTime' in wait) return t('node.waitBestTime', { window: withinOf(wait.bestTime) });
  if ('at' in wait) {
    const days = wait.weekdays?.map((d) => t(`weekday.${d}` as never)).join(' ');
    return days
      ? t('node.waitAtDays', { at: String(wait.at), days })
      : t('node.waitAt', { at: String(wait.at) });
  }
  return '';
}

/** The duration of `within 24h`. */
export const withinOf = (bestTime: string) => bestTime.replace(/^within\s+/, '');

export function triggerText(t: Translate, trigger: TriggerDef): string {
  const kind = triggerKind(trigger);
  if (!kind) return t('node.noTrigger');
  const value = trigger[kind as keyof TriggerDef];
  if (kind === 'schedule')
    return t('trigger.scheduleText', { cron: String((value as { cron?: string })?.cron ?? '') });
  if (kind === 'date')
    return t('trigger.dateText', { attribute: String((value as { attribute?: string })?.attribute ?? '') });
  if (kind === 'lunar') {
    const l = value as { month?: number; day?: number };
    return t('trigger.lunarText', { month: l?.month ?? '?', day: l?.day ?? '?' });
  }
  if (kind === 'predicted') {
    const condition = Object.entries((value ?? {}) as Record<string, unknown>)
      .map(([field, comparison]) => `${field} ${String(comparison)}`)
      .join(', ');
    return t('trigger.predictedText', { condition });
  }
  return `${t(`trigger.kind.${kind}` as never)}: ${String(value ?? '')}`;
}

/** What moves a customer along an edge, in words. */
export function causeText(t: Translate, cause: EdgeCause): string {
  switch (cause.kind) {
    case 'start':
      return t('edge.start');
    case 'next':
      return '';
    case 'error':
      return t('edge.error');
    case 'event':
      return cause.when ? `${cause.event} · ${short(cause.when, 28)}` : cause.event;
    case 'timeout':
      return cause.after ? t('edge.timeoutAfter', { after: cause.after }) : t('edge.timeout');
    case 'when':
      return (
        cause.label ?? (cause.expression.trim() ? short(cause.expression, 32) : t('edge.emptyCondition'))
      );
    case 'otherwise':
      return cause.label ?? t('edge.otherwise');
    case 'weight':
      return `${cause.percent}%${cause.label ? ` · ${cause.label}` : ''}`;
  }
}

/** How a state leaves, in words, for its node. */
export function exitText(t: Translate, s: StateDef): string | null {
  if (s.end !== undefined) return t('node.end', { outcome: s.end });
  if (s.choose) return t('node.choose', { count: s.choose.length });
  if (s.split) return t('node.split', { count: s.split.length });
  return null;
}
