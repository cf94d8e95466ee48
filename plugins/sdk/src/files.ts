import type { Localized } from './text.ts';

/** A problem in a file, located like a workflow's (1-based; 0 when it has no single place). */
export interface FileIssue {
  line: number;
  column: number;
  message: string;
}

/**
 * A kind of file that lives next to the workflows and that a plugin reads: `tend push` uploads
 * such files after this check passes for every one of them.
 */
export interface FileKind {
  /** The folder under workflows/ ("templates", "surveys"). */
  folder: string;
  title: Localized;
  /** Subfolders whose files are parts of others (layouts, partials): not offered in pickers. */
  parts?: string[];
  /**
   * Checks one file (`path` relative to the workflows folder). `read` returns another file of
   * the same push or already on the server, e.g. the layout a template uses.
   */
  validate(
    path: string,
    content: string,
    read: (path: string) => Promise<string | null>,
  ): Promise<FileIssue[]>;
}
