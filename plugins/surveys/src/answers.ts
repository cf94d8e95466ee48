import { type SurveyDef, scoreQuestion } from './catalog.ts';

export type ParsedAnswers =
  | { ok: true; score: number | null; answers: Record<string, unknown> }
  | { ok: false; errors: Record<string, string> };

/** The scale of each scored question type, ends included. */
export const RANGE = { nps: [0, 10], csat: [1, 5] } as const;
const MAX_TEXT = 2000;

/**
 * Checks a submitted form against the survey: scores in range, options from the list, text of a
 * sane length, required questions answered. Field names are question ids; unknown ones are
 * ignored. Errors are keyed by question id with a message code (see page texts).
 */
export function readAnswers(def: SurveyDef, form: Record<string, string | string[]>): ParsedAnswers {
  const answers: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const q of def.questions) {
    const raw = form[q.id];
    const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
      .map((v) => v.trim())
      .filter(Boolean);
    if (values.length === 0) {
      if (!q.optional) errors[q.id] = 'required';
      continue;
    }
    if (q.type === 'nps' || q.type === 'csat') {
      const [min, max] = RANGE[q.type];
      const n = Number(values[0]);
      if (!Number.isInteger(n) || n < min || n > max) errors[q.id] = 'range';
      else answers[q.id] = n;
    } else if (q.type === 'single' || q.type === 'multiple') {
      const allowed = new Set((q.options ?? []).map((o) => o.value));
      if (values.some((v) => !allowed.has(v)) || (q.type === 'single' && values.length > 1))
        errors[q.id] = 'option';
      else answers[q.id] = q.type === 'single' ? values[0] : [...new Set(values)];
    } else if ((values[0] as string).length > MAX_TEXT) errors[q.id] = 'long';
    else answers[q.id] = values[0];
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const scored = scoreQuestion(def);
  const score = scored ? ((answers[scored.id] as number | undefined) ?? null) : null;
  return { ok: true, score, answers };
}
