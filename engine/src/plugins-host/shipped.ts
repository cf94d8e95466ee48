/** The plugins that come with Tend, loaded unless TEND_PLUGINS replaces the list. */
export const SHIPPED_PLUGINS: string[] = [];
