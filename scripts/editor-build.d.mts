/** True when the build is missing, was made for other plugins, or a source changed after it. */
export function editorBuildIsStale(options?: { out?: string }): boolean;
/** Runs `vite build` in editor/ if needed (into `out`, default editor/dist); false when it failed. */
export function ensureEditorBuilt(options?: { quiet?: boolean; out?: string }): boolean;
