import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  DURATION_PATTERN,
  durationMs,
  type FileIssue,
  schemaProblem,
  yamlFileIssues,
} from '@tend/plugin-sdk';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

/** Text in several languages: `{ en: "…", zh-CN: "…" }` (or one string for all). */
export type Localized = string | Record<string, string>;

export type QuestionType = 'nps' | 'csat' | 'single' | 'multiple' | 'text';

export interface Question {
  id: string;
  type: QuestionType;
  label: Localized;
  options?: { value: string; label: Localized }[];
  optional?: boolean;
}

/** A survey definition (`workflows/surveys/<id>.yaml`). */
export interface SurveyDef {
  id: string;
  title: Localized;
  intro?: Localized;
  thanks?: Localized;
  /** How long a link stays valid, e.g. 14d. */
  expires: string;
  questions: Question[];
}

const localized = {
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'object', additionalProperties: { type: 'string' }, minProperties: 1 },
  ],
};
const schema = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    title: localized,
    intro: localized,
    thanks: localized,
    expires: { type: 'string', pattern: DURATION_PATTERN },
    questions: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' },
          type: { enum: ['nps', 'csat', 'single', 'multiple', 'text'] },
          label: localized,
          optional: { type: 'boolean' },
          options: {
            type: 'array',
            minItems: 2,
            items: {
              type: 'object',
              properties: { value: { type: 'string', pattern: '^[a-z0-9_-]+$' }, label: localized },
              required: ['value', 'label'],
              additionalProperties: false,
            },
          },
        },
        required: ['id', 'type', 'label'],
        additionalProperties: false,
      },
    },
  },
  required: ['id', 'title', 'questions'],
  additionalProperties: false,
};
const check = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** A choice question without options, or another kind with them. */
function optionsProblem(def: SurveyDef): { index: number; message: string } | null {
  const index = def.questions.findIndex(
    (q) => (q.type === 'single' || q.type === 'multiple') !== !!q.options,
  );
  const bad = def.questions[index];
  if (!bad) return null;
  return { index, message: `question "${bad.id}" ${bad.options ? 'takes no options' : 'needs options'}` };
}

/** Problems of one survey file, located (for `tend push`). */
export function surveyIssues(content: string): FileIssue[] {
  return yamlFileIssues<SurveyDef>(content, check, 'the survey', (value) => {
    const bad = optionsProblem(value);
    return bad ? [{ path: ['questions', bad.index], message: bad.message }] : [];
  });
}

/** The question whose answer is the survey's score (the first NPS or CSAT question). */
export const scoreQuestion = (def: SurveyDef) =>
  def.questions.find((q) => q.type === 'nps' || q.type === 'csat');

/** `nps`, `csat`, or `custom` (no score). */
export const surveyKind = (def: SurveyDef) => scoreQuestion(def)?.type ?? 'custom';

/** The surveys in `workflows/surveys/`, re-read when a file changes; broken files are reported. */
export class SurveyCatalog {
  readonly #dir: string;
  #stamp = '';
  #surveys = new Map<string, SurveyDef>();
  #problems: string[] = [];

  constructor(workflowsDir: string) {
    this.#dir = path.join(workflowsDir, 'surveys');
  }

  get(id: string): SurveyDef | undefined {
    this.#refresh();
    return this.#surveys.get(id);
  }

  list(): SurveyDef[] {
    this.#refresh();
    return [...this.#surveys.values()];
  }

  problems(): string[] {
    this.#refresh();
    return this.#problems;
  }

  /** Milliseconds a link of this survey stays valid (`expires` was checked by the schema). */
  lifetimeMs(def: SurveyDef): number {
    return durationMs(def.expires);
  }

  #refresh(): void {
    let files: string[];
    try {
      files = readdirSync(this.#dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort();
    } catch {
      files = [];
    }
    const stamp = files.map((f) => `${f}:${statSync(path.join(this.#dir, f)).mtimeMs}`).join('|');
    if (stamp === this.#stamp) return;
    const surveys = new Map<string, SurveyDef>();
    const problems: string[] = [];
    for (const file of files) {
      try {
        const value = parse(readFileSync(path.join(this.#dir, file), 'utf8')) as SurveyDef;
        if (!check(value)) {
          problems.push(
            `${file}: ${(check.errors ?? [])
              .flatMap((e) => {
                const problem = schemaProblem(e);
                return problem === null ? [] : [`${e.instancePath || 'file'}: ${problem}`];
              })
              .join('; ')}`,
          );
          continue;
        }
        const bad = optionsProblem(value);
        if (bad) {
          problems.push(`${file}: ${bad.message}`);
          continue;
        }
        surveys.set(value.id, { ...value, expires: value.expires ?? '14d' });
      } catch (error) {
        problems.push(`${file}: ${(error as Error).message}`);
      }
    }
    this.#surveys = surveys;
    this.#problems = problems;
    this.#stamp = stamp;
  }
}

const catalogs = new Map<string, SurveyCatalog>();

/** One catalog per workflows folder. */
export function surveyCatalog(workflowsDir: string): SurveyCatalog {
  let catalog = catalogs.get(workflowsDir);
  if (!catalog) {
    catalog = new SurveyCatalog(workflowsDir);
    catalogs.set(workflowsDir, catalog);
  }
  return catalog;
}

/** A localized text in the best available language. */
export function text(value: Localized | undefined, locale: string): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  const lang = locale.toLowerCase().split('-')[0];
  return (
    value[locale] ??
    Object.entries(value).find(([k]) => k.toLowerCase().split('-')[0] === lang)?.[1] ??
    value.en ??
    Object.values(value)[0] ??
    ''
  );
}
