import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MessageChannel, PlatformTemplate } from '@tend/plugin-sdk';
import { LIQUID_LIMITS, StepError } from '@tend/plugin-sdk';
import type { convert } from 'html-to-text';
import { Liquid, type Template } from 'liquidjs';
import { parse as parseYaml } from 'yaml';
import { pickLocale } from './locale.ts';
import { renderMjml } from './mjml.ts';

/** A message ready to hand to a provider. */
export interface Rendered {
  locale: string;
  subject?: string;
  text: string;
  html?: string;
  /** An SMS template's platform template (front matter `templateCode`, `signName`, `params`). */
  platform?: PlatformTemplate;
}

/** An SMS template's front matter, parsed: the platform template its Liquid values render into. */
interface PlatformMeta {
  templateCode: string;
  signName?: string;
  params: [string, Template[]][];
}

interface CompiledEmail {
  stamp: string;
  subject: Template[];
  html: Template[];
}

const EXTENSION: Record<MessageChannel, string> = {
  email: 'mjml',
  sms: 'liquid',
  webhook: 'liquid',
  wecom: 'liquid',
  wechat: 'liquid',
};
const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/**
 * The templates of `workflows/templates/`: `<channel>/<name>.<locale>.<mjml|liquid>`, shared
 * MJML layouts in `layouts/` (a layout's `{{ content }}` takes the template's body) and partials
 * in `partials/` (MJML ones through `<mj-include>`, Liquid ones through `{% render %}`).
 *
 * Email is compiled MJML → responsive HTML once per file version, with the Liquid left in it,
 * then rendered per message (values HTML-escaped); the text part is derived from that HTML.
 */
export class TemplateLibrary {
  readonly #root: string;
  readonly #html: Liquid;
  readonly #text: Liquid;
  readonly #emails = new Map<string, CompiledEmail>();
  readonly #compiling = new Map<string, Promise<CompiledEmail>>();
  readonly #texts = new Map<string, { stamp: string; body: Template[]; platform: PlatformMeta | null }>();

  constructor(workflowsDir: string) {
    this.#root = path.join(workflowsDir, 'templates');
    const common = {
      // A runaway loop fails the message as a template error (not retried) in a second.
      ...LIQUID_LIMITS,
      root: [path.join(this.#root, 'partials')],
      extname: '.liquid',
      strictFilters: true,
      ownPropertyOnly: true,
      cache: true,
    };
    this.#html = new Liquid({ ...common, outputEscape: 'escape' });
    this.#text = new Liquid(common);
  }

  /** Locales a template exists in (from its file names). */
  locales(channel: MessageChannel, name: string): string[] {
    const dir = path.join(this.#root, channel);
    const prefix = `${name}.`;
    const suffix = `.${EXTENSION[channel]}`;
    try {
      return readdirSync(dir)
        .filter((f) => f.startsWith(prefix) && f.endsWith(suffix))
        .map((f) => f.slice(prefix.length, -suffix.length))
        .filter((l) => l.length > 0 && !l.includes('.'));
    } catch {
      return [];
    }
  }

  /** Renders a template in the locale closest to `wanted`; a missing or broken one is a user error. */
  async render(
    channel: MessageChannel,
    name: string,
    wanted: string | null,
    fallback: string,
    scope: Record<string, unknown>,
  ): Promise<Rendered> {
    const locale = pickLocale(this.locales(channel, name), wanted, fallback);
    if (!locale) {
      throw new StepError(
        'unknown_template',
        `no ${channel} template "${name}" in ${path.join(this.#root, channel)}`,
        {
          kind: 'user',
          retryable: false,
        },
      );
    }
    const file = path.join(this.#root, channel, `${name}.${locale}.${EXTENSION[channel]}`);
    const withLocale = { ...scope, locale };
    try {
      if (channel === 'email') {
        const email = await this.#email(file);
        const html = await this.#html.render(email.html, withLocale);
        const subject = (await this.#text.render(email.subject, withLocale)).trim();
        return {
          locale,
          subject,
          html,
          text: (await htmlToText())(html, { wordwrap: 78, selectors: IMAGES_OFF }),
        };
      }
      const { body, platform } = await this.#plain(file, channel === 'sms' || channel === 'wechat');
      const text = (await this.#text.render(body, withLocale)).trim();
      if (!platform) return { locale, text };
      const params: Record<string, string> = {};
      for (const [name, value] of platform.params) {
        params[name] = (await this.#text.render(value, withLocale)).trim();
      }
      return {
        locale,
        text,
        platform: {
          templateCode: platform.templateCode,
          ...(platform.signName ? { signName: platform.signName } : {}),
          params,
        },
      };
    } catch (error) {
      const message = (error as Error).message;
      // Over the render time limit: a runaway template, or a machine too busy for a moment (just
      // after a restart, say). Retried with the step's backoff; a runaway one fails after its tries.
      const slow = message.includes('render limit exceeded');
      throw new StepError('template', `template ${path.relative(this.#root, file)}: ${message}`, {
        kind: slow ? 'engine' : 'user',
        retryable: slow,
      });
    }
  }

  async #email(file: string): Promise<CompiledEmail> {
    const source = await readFile(file, 'utf8');
    const front = FRONT_MATTER.exec(source);
    const meta = (front ? parseYaml(front[1] as string) : {}) as {
      subject?: string;
      preheader?: string;
      layout?: string | false;
    };
    const body = front ? source.slice(front[0].length) : source;
    const layoutFile =
      meta.layout === false ? null : path.join(this.#root, 'layouts', `${meta.layout ?? 'default'}.mjml`);
    const stamp = `${statSync(file).mtimeMs}:${layoutFile ? statSync(layoutFile).mtimeMs : 0}`;
    const cached = this.#emails.get(file);
    if (cached?.stamp === stamp) return cached;
    // One compile per file version, however many sends ask at once: after a restart, every
    // send in flight needs the same template, and MJML is heavy on the CPU.
    const key = `${file}@${stamp}`;
    let compiling = this.#compiling.get(key);
    if (!compiling) {
      compiling = this.#compile(file, stamp, meta, body, layoutFile).finally(() =>
        this.#compiling.delete(key),
      );
      this.#compiling.set(key, compiling);
    }
    return compiling;
  }

  async #compile(
    file: string,
    stamp: string,
    meta: { subject?: string; preheader?: string },
    body: string,
    layoutFile: string | null,
  ): Promise<CompiledEmail> {
    // Layout slots are filled before MJML runs; the Liquid inside them is rendered per message.
    const document = layoutFile
      ? (await readFile(layoutFile, 'utf8'))
          .replace('{{ content }}', body)
          .replace('{{ preheader }}', meta.preheader ?? '')
      : body;
    // MJML 5 ignores <mj-include> unless told otherwise; includes may only reach templates/.
    const result = await renderMjml(document, {
      validationLevel: 'soft',
      filePath: layoutFile ?? file,
      ignoreIncludes: false,
      includePath: this.#root,
    } as Parameters<typeof renderMjml>[1]);
    if (result.errors.length > 0) {
      throw new Error(result.errors.map((e) => `line ${e.line}: ${e.message}`).join('; '));
    }
    if (!meta.subject) throw new Error('the front matter has no subject');
    const compiled = { stamp, subject: this.#text.parse(meta.subject), html: this.#html.parse(result.html) };
    this.#emails.set(file, compiled);
    return compiled;
  }

  async #plain(
    file: string,
    frontMatter: boolean,
  ): Promise<{ body: Template[]; platform: PlatformMeta | null }> {
    const stamp = String(statSync(file).mtimeMs);
    const cached = this.#texts.get(file);
    if (cached?.stamp === stamp) return cached;
    const source = await readFile(file, 'utf8');
    const front = frontMatter ? FRONT_MATTER.exec(source) : null;
    const meta = (front ? parseYaml(front[1] as string) : null) as {
      templateCode?: unknown;
      signName?: unknown;
      params?: Record<string, unknown>;
    } | null;
    // A numeric code (Tencent's template ids) reads as a number in YAML.
    const code = meta?.templateCode;
    const platform =
      meta && (typeof code === 'string' || typeof code === 'number')
        ? {
            templateCode: String(code),
            ...(typeof meta.signName === 'string' ? { signName: meta.signName } : {}),
            params: Object.entries(meta.params ?? {}).map(
              ([name, value]) => [name, this.#text.parse(String(value))] as [string, Template[]],
            ),
          }
        : null;
    const compiled = {
      stamp,
      body: this.#text.parse(front ? source.slice(front[0].length) : source),
      platform,
    };
    this.#texts.set(file, compiled);
    return compiled;
  }
}

const IMAGES_OFF = [{ selector: 'img', format: 'skip' }];

let converter: Promise<typeof convert> | null = null;

/** html-to-text, loaded with the first email: an engine that sends none never needs it (15 MiB alone). */
const htmlToText = () => (converter ??= import('html-to-text').then((m) => m.convert));

const libraries = new Map<string, TemplateLibrary>();

/** One library per workflows folder (its caches are shared by every step). */
export function templatesOf(workflowsDir: string): TemplateLibrary {
  let library = libraries.get(workflowsDir);
  if (!library) {
    library = new TemplateLibrary(workflowsDir);
    libraries.set(workflowsDir, library);
  }
  return library;
}
