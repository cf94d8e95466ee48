import { CEL_VARIABLES, checkCel } from '@tend/plugin-sdk/cel';
import { parseDuration } from '@tend/plugin-sdk/time';
import type { ValidationIssue } from '../errors.ts';
import { parseBestTime } from './best-time.ts';
import type { StepCatalog } from './catalog.ts';
import { checkTemplate, templatesIn } from './liquid.ts';
import { parseReentry } from './reentry.ts';
import { didYouMean } from './suggest.ts';
import type { WorkflowDef } from './types.ts';
import { issueAt, type JsonPath, locateInScalar, type YamlSource } from './yaml-source.ts';

/** CEL, durations, templates and plugin step configs (each trigger kind checks its own fields). */
export function checkExpressions(
  source: YamlSource,
  def: WorkflowDef,
  catalog: StepCatalog,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const at = (path: JsonPath, message: string) => issues.push(issueAt(source, path, message));

  const cel = (path: JsonPath, expression: string | undefined) => {
    if (expression === undefined) return;
    const r = checkCel(expression);
    if (!r.ok) {
      const hint = /Unknown variable/.test(r.message) ? ` (variables are ${CEL_VARIABLES.join(', ')})` : '';
      issues.push({
        path: path.join('.'),
        ...locateInScalar(source, path, r.offset),
        message: `CEL: ${r.message}${hint}`,
      });
    }
  };
  const duration = (path: JsonPath, text: string | undefined) => {
    if (text === undefined) return;
    const r = parseDuration(text);
    if (!r.ok) at(path, r.message);
  };

  const { trigger } = def;
  cel(['trigger', 'where'], trigger.where);
  cel(['trigger', 'key'], trigger.key);

  const reentry = parseReentry(def.entry?.reenter);
  if (!reentry.ok) at(['entry', 'reenter'], reentry.message);
  for (const [i, goal] of (def.exit ?? []).entries()) cel(['exit', i, 'where'], goal.where);
  duration(['limits', 'frequencyCap', 'per'], def.limits?.frequencyCap?.per);
  const quiet = def.limits?.quietHours;
  if (quiet && quiet.from === quiet.to) {
    at(['limits', 'quietHours'], 'quiet hours start and end at the same time');
  }

  for (const [name, state] of Object.entries(def.states)) {
    const base: JsonPath = ['states', name];
    for (const [i, b] of (state.choose ?? []).entries()) cel([...base, 'choose', i, 'when'], b.when);
    for (const [key, value] of Object.entries(state.on ?? {})) {
      if (!Array.isArray(value)) continue;
      for (const [i, b] of value.entries()) cel([...base, 'on', key, i, 'when'], b.when);
    }
    if (state.experiment) {
      duration([...base, 'experiment', 'window'], state.experiment.window);
      cel([...base, 'experiment', 'goal', 'where'], state.experiment.goal.where);
    }
    const wait = state.wait;
    if (wait) {
      if ('for' in wait) duration([...base, 'wait', 'for'], wait.for);
      if ('timeout' in wait) duration([...base, 'wait', 'timeout'], wait.timeout);
      if ('where' in wait) cel([...base, 'wait', 'where'], wait.where);
      if ('until' in wait) cel([...base, 'wait', 'until'], wait.until);
      if ('bestTime' in wait) {
        const r = parseBestTime(wait.bestTime);
        if (!r.ok) at([...base, 'wait', 'bestTime'], r.message);
      }
    }
    for (const [i, step] of (state.steps ?? []).entries()) {
      checkStep([...base, 'steps', i], step, catalog, source, issues);
    }
  }
  return issues;
}

function checkStep(
  path: JsonPath,
  step: { uses: string; with?: Record<string, unknown> },
  catalog: StepCatalog,
  source: YamlSource,
  issues: ValidationIssue[],
): void {
  if (!catalog.has(step.uses)) {
    issues.push(
      issueAt(
        source,
        [...path, 'uses'],
        `no installed plugin has a step "${step.uses}"${didYouMean(step.uses, catalog.stepIds())}`,
      ),
    );
    return;
  }
  const config = step.with ?? {};
  for (const template of templatesIn(config)) {
    const error = checkTemplate(template.text);
    if (error) {
      issues.push(issueAt(source, [...path, 'with', ...template.path], `template: ${error}`));
    }
  }
  for (const problem of catalog.checkConfig(step.uses, config)) {
    const where = step.with === undefined ? path : [...path, 'with', ...problem.path];
    issues.push(issueAt(source, where, `${step.uses}: ${problem.message}`));
  }
}
