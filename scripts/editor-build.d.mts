/** True when editor/dist is missing or a source file changed after it was built. */
export function editorBuildIsStale(): boolean;
/** Runs `vite build` in editor/ if needed; returns false when the build failed. */
export function ensureEditorBuilt(options?: { quiet?: boolean }): boolean;
