/**
 * A plugin's side in the editor (`@tend/plugin-sdk/editor`): its screens, which the editor
 * builds in with every installed plugin that has an `./editor` export, and shows in the
 * viewer's language and time zone. A screen talks to its plugin's routes through the host.
 */
import type { ComponentType } from 'react';
import type { Locale, Localized } from './text.ts';

export { PROFILE_FIELDS, RFM_SEGMENTS } from './customer.ts';
export { closestName } from './suggest.ts';

/** What the editor hands a plugin's screen. */
export interface EditorHost {
  /** The viewer's language. */
  lang: Locale;
  /** A text in the viewer's language, `{name}` placeholders filled from `vars`. */
  text(value: Localized, vars?: Record<string, string | number>): string;
  /** GET a route of the engine or a plugin, as the signed-in person; rejects with the engine's message. */
  get<T>(path: string, query?: Record<string, string>): Promise<T>;
  /** A write, as the signed-in person (the session's CSRF token goes with it). */
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** A moment in the viewer's time zone and language. */
  formatDateTime(value: string | Date): string;
  /** The viewer's IANA time zone (what "today" means to them). */
  timeZone: string;
  /** Goes to a page of the editor (another screen, a customer, a journey). */
  navigate(path: string): void;
  /** Whether the signed-in person may change things (admins and operators). */
  canEdit: boolean;
  /**
   * Whether they serve customers: complete tasks, log follow-ups, handle complaints (admins,
   * operators and staff; staff only their own customers', which the engine enforces).
   */
  canServe: boolean;
  /** A staff member: sees only their own customers, their tasks and complaints. */
  isStaff: boolean;
}

export interface EditorScreenProps {
  host: EditorHost;
  /** The values of the path's `:parameters`. */
  params: Record<string, string>;
}

export interface EditorScreen {
  /** The page's path in the editor, e.g. `/surveys/:id`; no other page may take it. */
  path: string;
  title: Localized;
  /** Listed in the top navigation (only a path without parameters). */
  nav?: boolean;
  /** Also for staff members (their own work: tasks, complaints); other screens are not shown to them. */
  forStaff?: boolean;
  component: ComponentType<EditorScreenProps>;
}

/**
 * A panel a plugin adds to another page of the editor: the overview dashboard, or a customer's
 * profile (`customerId` is then set). Its component gets the host like a screen.
 */
export interface EditorPanel {
  id: string;
  title: Localized;
  component: ComponentType<{ host: EditorHost; customerId?: string }>;
}

/** The default export of a plugin's `./editor` entry. */
export interface EditorPlugin {
  /** The plugin's name, as in its definition. */
  name: string;
  screens: EditorScreen[];
  /** Panels on the overview dashboard (complaints open, points issued…). */
  dashboard?: EditorPanel[];
  /** Panels on a customer's profile (their tasks, complaints, points…). */
  customer?: EditorPanel[];
}

/** Checks an editor plugin's shape when the editor loads it. */
export function defineEditorPlugin(plugin: EditorPlugin): EditorPlugin {
  for (const screen of plugin.screens) {
    if (!/^\/[a-z0-9-]+(\/(:[a-z]+|[a-z0-9-]+))*$/.test(screen.path)) {
      throw new Error(`plugin "${plugin.name}": screen path "${screen.path}" must look like /a/:id`);
    }
    if (screen.nav && screen.path.includes(':')) {
      throw new Error(
        `plugin "${plugin.name}": screen ${screen.path} has parameters, so it cannot be in the navigation`,
      );
    }
  }
  return plugin;
}

export { Chart, type ChartOption } from './chart.ts';
export type { Locale, Localized } from './text.ts';
export { localize } from './text.ts';
export { useLoad } from './use-load.ts';

/**
 * A day a person picked in a date field (`YYYY-MM-DD`, in their browser's zone) as the instant it
 * starts; `next`: the instant the day after starts (the end of a period that includes the day).
 */
export function dayStartIso(day: string, next = false): string {
  const d = new Date(`${day}T00:00:00`);
  if (next) d.setDate(d.getDate() + 1);
  return d.toISOString();
}
