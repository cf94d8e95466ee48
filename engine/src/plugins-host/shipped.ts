/** The plugins that come with Tend, loaded unless TEND_PLUGINS replaces the list. */
export const SHIPPED_PLUGINS: string[] = [
  '@tend/plugin-tagging',
  '@tend/plugin-messaging',
  '@tend/plugin-surveys',
  '@tend/plugin-tasks',
  '@tend/plugin-loyalty',
];
