import { assignIn, parse, printPreserving } from './yaml-edit.ts';

export const STAGES = ['acquire', 'develop', 'retain', 'win-back'] as const;

/** The YAML of a journey that has only its name: an empty canvas with the trigger to set. */
export function emptyJourney(id: string, name: string, stage: string): string {
  const doc = parse('');
  doc.contents = doc.createNode({ id, name, ...(stage ? { stage } : {}), trigger: {}, states: {} }) as never;
  return doc.toString({ lineWidth: 0 });
}

/** A copy of a journey under a new id and name; everything else (comments too) stays. */
export function duplicateYaml(yaml: string, id: string, name: string): string {
  const doc = parse(yaml);
  assignIn(doc, ['id'], id);
  assignIn(doc, ['name'], name);
  return printPreserving(yaml, doc);
}

/** A workflow id from a name: lowercase letters, digits and dashes. */
export function idFromName(name: string): string {
  const s = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s || 'journey';
}
