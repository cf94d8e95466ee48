import type mjml2html from 'mjml';

type Options = Parameters<typeof mjml2html>[1];

let loaded: Promise<typeof mjml2html> | null = null;

/**
 * MJML to HTML. The package is loaded on first use: with what it pulls in (two HTML parsers,
 * two HTTP clients, lodash, a beautifier) it is about 90 MiB resident, measured alone, more than
 * the rest of the engine at rest; an engine that renders and checks no email never needs it.
 */
export async function renderMjml(document: string, options: Options): ReturnType<typeof mjml2html> {
  loaded ??= import('mjml').then((m) => m.default);
  return (await loaded)(document, options);
}
