import { describe, expect, it } from 'vitest';
import { readAnswers } from './answers.ts';
import type { SurveyDef } from './catalog.ts';

const survey: SurveyDef = {
  id: 'mix',
  title: 'Mix',
  expires: '7d',
  questions: [
    { id: 'score', type: 'nps', label: 'Score' },
    {
      id: 'why',
      type: 'single',
      label: 'Why',
      options: [
        { value: 'a', label: 'A' },
        { value: 'b', label: 'B' },
      ],
    },
    {
      id: 'more',
      type: 'multiple',
      label: 'More',
      optional: true,
      options: [
        { value: 'x', label: 'X' },
        { value: 'y', label: 'Y' },
      ],
    },
    { id: 'text', type: 'text', label: 'Text', optional: true },
  ],
};

describe('reading survey answers', () => {
  it('takes a complete answer and finds the score', () => {
    expect(readAnswers(survey, { score: '0', why: 'b', more: ['x', 'y', 'x'], text: ' fine ' })).toEqual({
      ok: true,
      score: 0,
      answers: { score: 0, why: 'b', more: ['x', 'y'], text: 'fine' },
    });
  });

  it('names each problem: missing, out of range, not an option, too long', () => {
    expect(readAnswers(survey, { score: '11', why: 'c', text: 'x'.repeat(2001) })).toEqual({
      ok: false,
      errors: { score: 'range', why: 'option', text: 'long' },
    });
    expect(readAnswers(survey, { score: '2.5' })).toEqual({
      ok: false,
      errors: { score: 'range', why: 'required' },
    });
    expect(readAnswers(survey, { score: '5', why: ['a', 'b'] })).toEqual({
      ok: false,
      errors: { why: 'option' },
    });
  });
});
