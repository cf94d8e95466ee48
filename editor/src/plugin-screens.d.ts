/** The installed plugins' editor entries (editor/plugin-screens.ts makes this module at build time). */
declare module 'virtual:tend-plugin-screens' {
  import type { EditorPlugin } from '@tend/plugin-sdk/editor';

  const plugins: EditorPlugin[];
  export default plugins;
}
