import { type CheckContext, type ConfigIssue, didYouMean } from '@tend/plugin-sdk';

/** The names of the files in a folder of the workflows folder, before their first dot. */
async function namesIn(ctx: CheckContext, folder: string): Promise<string[]> {
  const names = (await ctx.files(folder)).map((f) => (f.split('/').pop() ?? '').split('.')[0] ?? '');
  return [...new Set(names.filter(Boolean))].sort();
}

/**
 * surveys.send: the survey must be in workflows/surveys/, and its invitation template in the
 * channel's templates. Names written as templates (`{{ … }}`) are known only at run time.
 */
export async function checkSendSurvey(
  config: { survey: string; channel: string; template?: string },
  ctx: CheckContext,
): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  if (!config.survey.includes('{{')) {
    const surveys = await namesIn(ctx, 'surveys');
    if (!surveys.includes(config.survey)) {
      issues.push({
        path: ['survey'],
        message: `there is no survey "${config.survey}" in workflows/surveys/${didYouMean(config.survey, surveys)}; surveys: ${surveys.join(', ') || 'none yet'}`,
      });
    }
  }
  const template = config.template ?? 'survey-invite';
  if (!template.includes('{{') && !config.channel.includes('{{')) {
    const templates = await namesIn(ctx, `templates/${config.channel}`);
    if (!templates.includes(template)) {
      issues.push({
        path: config.template ? ['template'] : ['channel'],
        message: `there is no ${config.channel} template "${template}" for the invitation${didYouMean(template, templates)}; ${config.channel} templates: ${templates.join(', ') || 'none yet'}`,
      });
    }
  }
  return issues;
}
