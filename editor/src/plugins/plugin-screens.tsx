import installed from 'virtual:tend-plugin-screens';
import type { EditorScreen } from '@tend/plugin-sdk/editor';
import { match } from '../router.tsx';
import { useEditorHost } from './editor-host.ts';

/** Every installed plugin's screens, with the plugin they come from. */
export const PLUGIN_SCREENS: (EditorScreen & { plugin: string })[] = installed.flatMap((p) =>
  p.screens.map((s) => ({ ...s, plugin: p.name })),
);

/** The plugin screen at this path, with its parameters, or null. */
export function pluginScreenAt(
  path: string,
): { screen: EditorScreen; params: Record<string, string> } | null {
  for (const screen of PLUGIN_SCREENS) {
    const params = match(screen.path, path);
    if (params) return { screen, params };
  }
  return null;
}

/** A plugin's screen, given the editor's host. */
export function PluginScreen({ screen, params }: { screen: EditorScreen; params: Record<string, string> }) {
  const host = useEditorHost();
  const Screen = screen.component;
  return <Screen host={host} params={params} />;
}
