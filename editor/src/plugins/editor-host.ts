import { type EditorHost, localize } from '@tend/plugin-sdk/editor';
import { useMemo } from 'react';
import { unwrap, withSession } from '../api/client.ts';
import { getJson } from '../api/get-json.ts';
import { useSession } from '../api/session.tsx';
import { format, useI18n } from '../i18n/i18n.tsx';
import { navigate } from '../router.tsx';

/** What plugins' screens get from the editor: language, the API as the signed-in person, navigation. */
export function useEditorHost(): EditorHost {
  const { lang } = useI18n();
  const { canEdit, status } = useSession();
  const isStaff = status.kind === 'signed-in' && status.user.role === 'staff';
  return useMemo<EditorHost>(() => {
    const dates = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      lang,
      text: (value, vars) => format(localize(value, lang), vars),
      get: (path, query) => unwrap(getJson(path, query)) as never,
      send: (method, path, body) =>
        unwrap(
          withSession(path, {
            method,
            ...(body === undefined
              ? {}
              : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
          }),
        ) as never,
      formatDateTime: (value) => dates.format(typeof value === 'string' ? new Date(value) : value),
      timeZone: dates.resolvedOptions().timeZone,
      navigate: (path) => navigate(path),
      canEdit,
      canServe: canEdit || isStaff,
      isStaff,
    };
  }, [lang, canEdit, isStaff]);
}
