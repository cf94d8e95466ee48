import { type CheckContext, type ConfigIssue, didYouMean } from '@tend/plugin-sdk';
import type { SendConfig } from './send-step.ts';
import { templateFiles } from './template-files.ts';

const EXTENSION: Record<string, string> = {
  email: 'mjml',
  sms: 'liquid',
  webhook: 'liquid',
  wecom: 'liquid',
  wechat: 'liquid',
};

/** Names of the templates in a channel's folder: `welcome` for `templates/email/welcome.en.mjml`. */
export async function templateNames(ctx: CheckContext, channel: string): Promise<Map<string, string[]>> {
  const names = new Map<string, string[]>();
  for (const file of await ctx.files(`templates/${channel}`)) {
    const [name, locale] = (file.split('/').pop() ?? '').split('.');
    if (!name || !locale) continue;
    names.set(name, [...(names.get(name) ?? []), file]);
  }
  return names;
}

/**
 * A template a step names must exist for its channel, in the installation's language (the
 * fallback for every customer), and parse: its issues are given with the template file's line
 * and column. A name written as a template (`{{ … }}`) is known only at run time.
 */
export async function checkTemplate(
  ctx: CheckContext,
  channel: string,
  template: string,
  path: (string | number)[],
): Promise<ConfigIssue[]> {
  if (template.includes('{{') || channel.includes('{{')) return [];
  const names = await templateNames(ctx, channel);
  const files = names.get(template);
  if (!files) {
    const known = [...names.keys()].sort();
    return [
      {
        path,
        message: `there is no ${channel} template "${template}" (templates/${channel}/${template}.<locale>.${EXTENSION[channel] ?? 'liquid'})${didYouMean(template, known)}; ${known.length > 0 ? `${channel} templates: ${known.join(', ')}` : `there are no ${channel} templates yet`}`,
      },
    ];
  }
  const issues: ConfigIssue[] = [];
  const fallback = ctx.host.defaultLocale;
  const language = fallback.split('-')[0] ?? fallback;
  if (!files.some((f) => (f.split('.')[1] ?? '').split('-')[0] === language)) {
    issues.push({
      path,
      message: `the ${channel} template "${template}" has no version in ${fallback} (TEND_LOCALE), which customers without one of its languages get: ${files.join(', ')}`,
    });
  }
  for (const file of files) {
    const content = await ctx.file(file);
    if (content === null) continue;
    for (const i of await templateFiles.validate(file, content, (p) => ctx.file(p))) {
      issues.push({ path, message: `${file}:${i.line}:${i.column}: ${i.message}` });
    }
  }
  return issues;
}

/** messaging.send: the template it names. */
export async function checkSend(config: SendConfig, ctx: CheckContext): Promise<ConfigIssue[]> {
  if (!config.template) return [];
  return checkTemplate(ctx, config.channel, config.template, ['template']);
}
