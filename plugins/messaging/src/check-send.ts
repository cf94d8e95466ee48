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
  const issues = await checkTemplate(ctx, config.channel, config.template, ['template']);
  const provider = ctx.settings.smsProvider;
  if (config.channel !== 'sms' || typeof provider !== 'string' || provider === 'http') return issues;
  return [...issues, ...(await platformTemplateIssues(ctx, config.template, provider))];
}

/**
 * With an SMS platform as provider (TEND_SMS_PROVIDER=aliyun), every language of an SMS template
 * must name its approved template: one without would fail at every send.
 */
async function platformTemplateIssues(
  ctx: CheckContext,
  template: string,
  provider: string,
): Promise<ConfigIssue[]> {
  if (template.includes('{{')) return [];
  const files = (await templateNames(ctx, 'sms')).get(template) ?? [];
  const issues: ConfigIssue[] = [];
  for (const file of files) {
    const content = (await ctx.file(file)) ?? '';
    if (/^---\r?\n[\s\S]*?^templateCode:/m.test(content.split(/\r?\n---\r?\n/)[0] ?? '')) continue;
    issues.push({
      path: ['template'],
      message: `${file} names no platform template (front matter: templateCode, params): TEND_SMS_PROVIDER=${provider} sends approved templates only`,
    });
  }
  return issues;
}
