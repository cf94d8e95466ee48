import type { JsonSchema } from '@tend/plugin-sdk';
import { createContext, useContext } from 'react';
import type { DraftDef } from '../model/def.ts';
import type { Issue } from '../model/issues.ts';
import type { Path } from '../model/yaml-edit.ts';
import type { Journey } from './use-journey.ts';

export interface PluginStep {
  id: string;
  title: string;
  description: string;
  plugin: string;
  configSchema: JsonSchema;
}

export interface LibraryItem {
  id: string;
  title: string | null;
}

/** What the forms need: the journey, its issues, the installed steps, and a way to change a value. */
export interface EditorContextValue {
  journey: Journey;
  def: DraftDef;
  issues: Issue[];
  steps: PluginStep[];
  library: { templates: LibraryItem[]; surveys: LibraryItem[] };
  readOnly: boolean;
  /** Sets (or, with undefined, removes) the value at a YAML path; typing in one field is one undo step. */
  set: (path: Path, value: unknown) => void;
}

export const EditorContext = createContext<EditorContextValue | null>(null);

export function useEditor(): EditorContextValue {
  const value = useContext(EditorContext);
  if (!value) throw new Error('useEditor outside the editor');
  return value;
}
