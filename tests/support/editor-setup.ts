import { ensureEditorBuilt } from '../../scripts/editor-build.mjs';

/** The browser tests open the built editor, served by the engine: build it first if it is stale. */
export default function setup() {
  if (!ensureEditorBuilt({ quiet: true })) throw new Error('the editor did not build (vite build failed)');
}
