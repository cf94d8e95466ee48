import { type FileIssue, type FileKind, LIQUID_LIMITS } from '@tend/plugin-sdk';
import { Liquid } from 'liquidjs';
import { parse as parseYaml } from 'yaml';
import { renderMjml } from './mjml.ts';

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;
const NAMES = [
  /^templates\/email\/[a-z0-9][a-z0-9-]*\.[A-Za-z-]+\.mjml$/,
  /^templates\/(sms|webhook|wecom|wechat)\/[a-z0-9][a-z0-9-]*\.[A-Za-z-]+\.liquid$/,
  /^templates\/layouts\/[a-z0-9][a-z0-9-]*\.mjml$/,
  /^templates\/partials\/[a-z0-9][a-z0-9-]*\.(mjml|liquid)$/,
];
const liquid = new Liquid({ ...LIQUID_LIMITS, strictFilters: true });

/**
 * Message templates as `tend push` uploads them: names the template library can find, Liquid
 * that parses, email front matter with a subject and an existing layout, MJML that compiles.
 */
export const templateFiles: FileKind = {
  folder: 'templates',
  parts: ['layouts', 'partials'],
  title: 'Message templates: MJML email, Liquid SMS and webhook bodies, layouts, partials',
  async validate(path, content, read) {
    if (!NAMES.some((n) => n.test(path))) {
      return [
        at(
          0,
          0,
          'templates are named email/<name>.<locale>.mjml, sms|webhook|wecom|wechat/<name>.<locale>.liquid, layouts/<name>.mjml or partials/<name>.mjml|liquid',
        ),
      ];
    }
    if (path.startsWith('templates/layouts/')) {
      if (!content.includes('{{ content }}')) return [at(1, 1, 'a layout needs a {{ content }} line')];
      return [
        ...liquidIssues(content, 0),
        ...(await mjmlIssues(content.replace('{{ content }}', ''), 0, true)),
      ];
    }
    if (/^templates\/(sms|wechat)\//.test(path) && FRONT_MATTER.test(content)) return platformIssues(content);
    if (path.startsWith('templates/wechat/')) {
      return [
        at(1, 1, 'a WeChat template starts with front matter naming its template (templateCode, params)'),
      ];
    }
    if (!path.startsWith('templates/email/')) return liquidIssues(content, 0);
    const front = FRONT_MATTER.exec(content);
    if (!front) return [at(1, 1, 'an email template starts with front matter (---, subject: …, ---)')];
    const offset = front[0].split('\n').length - 1;
    let meta: { subject?: unknown; layout?: unknown };
    try {
      meta = (parseYaml(front[1] as string) ?? {}) as typeof meta;
    } catch (error) {
      return [at(2, 1, `the front matter is not YAML: ${(error as Error).message}`)];
    }
    const issues: FileIssue[] = [];
    if (typeof meta.subject !== 'string' || meta.subject.trim() === '')
      issues.push(at(2, 1, 'the front matter has no subject'));
    else issues.push(...liquidIssues(meta.subject, 1));
    if (meta.layout !== false) {
      const layout = `templates/layouts/${typeof meta.layout === 'string' ? meta.layout : 'default'}.mjml`;
      if ((await read(layout)) === null) issues.push(at(2, 1, `the layout ${layout} does not exist`));
    }
    const body = content.slice(front[0].length);
    issues.push(...liquidIssues(body, offset), ...(await mjmlIssues(body, offset, meta.layout === false)));
    return issues;
  },
};

/**
 * An SMS or WeChat template with front matter: the platform template it sends (SMS platforms in
 * China and WeChat send approved templates only): `templateCode`, an optional `signName`, `params` as Liquid values.
 */
function platformIssues(content: string): FileIssue[] {
  const front = FRONT_MATTER.exec(content) as RegExpExecArray;
  const offset = front[0].split('\n').length - 1;
  let meta: { templateCode?: unknown; signName?: unknown; params?: unknown };
  try {
    meta = (parseYaml(front[1] as string) ?? {}) as typeof meta;
  } catch (error) {
    return [at(2, 1, `the front matter is not YAML: ${(error as Error).message}`)];
  }
  const issues: FileIssue[] = [];
  const code = meta.templateCode;
  if (!(typeof code === 'number' || (typeof code === 'string' && code.trim() !== ''))) {
    issues.push(at(2, 1, 'the front matter has no templateCode (the platform’s approved template)'));
  }
  if (meta.signName !== undefined && (typeof meta.signName !== 'string' || meta.signName.trim() === '')) {
    issues.push(at(2, 1, 'signName is the approved signature’s name, a text'));
  }
  const params = meta.params ?? {};
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    issues.push(at(2, 1, 'params maps each template parameter to its value (a Liquid text)'));
  } else {
    for (const [name, value] of Object.entries(params)) {
      if (typeof value === 'object' && value !== null) {
        issues.push(at(2, 1, `params.${name} is a text, not a list or map`));
      } else {
        issues.push(
          ...liquidIssues(String(value), 1).map((i) => ({ ...i, message: `params.${name}: ${i.message}` })),
        );
      }
    }
  }
  return [...issues, ...liquidIssues(content.slice(front[0].length), offset)];
}

const at = (line: number, column: number, message: string): FileIssue => ({ line, column, message });

function liquidIssues(text: string, lineOffset: number): FileIssue[] {
  try {
    liquid.parse(text);
    return [];
  } catch (error) {
    const message = (error as Error).message;
    const where = /line:(\d+), col:(\d+)/.exec(message);
    const line = where ? Number(where[1]) + lineOffset : lineOffset + 1;
    return [at(line, where ? Number(where[2]) : 1, `Liquid: ${message.replace(/, line:\d+, col:\d+/, '')}`)];
  }
}

/** MJML errors of a body (wrapped in a document on its first line, so line numbers stay). */
async function mjmlIssues(text: string, lineOffset: number, whole: boolean): Promise<FileIssue[]> {
  const document = whole ? text : `<mjml><mj-body>${text}</mj-body></mjml>`;
  try {
    const result = await renderMjml(document, {
      validationLevel: 'soft',
      ignoreIncludes: true,
    } as Parameters<typeof renderMjml>[1]);
    return result.errors.map((e) => at(e.line + lineOffset, 1, `MJML: ${e.message}`));
  } catch (error) {
    return [at(lineOffset + 1, 1, `MJML: ${(error as Error).message}`)];
  }
}
