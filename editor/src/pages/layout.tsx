import { localize } from '@tend/plugin-sdk/editor';
import type { ReactNode } from 'react';
import { useSession } from '../api/session.tsx';
import { LANGS, type Lang, useI18n } from '../i18n/i18n.tsx';
import { PLUGIN_SCREENS } from '../plugins/plugin-screens.tsx';
import { Link, useLocation } from '../router.tsx';

/** Header with the navigation, the language and who is signed in; the page below. */
export function Layout({ children }: { children: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const { status, signOut } = useSession();
  const { path } = useLocation();
  const staff = status.kind === 'signed-in' && status.user.role === 'staff';
  const everyone = [
    { href: '/overview', label: t('nav.overview'), active: path === '/overview' },
    { href: '/', label: t('nav.journeys'), active: path === '/' || path.startsWith('/workflows') },
    {
      href: '/customers',
      label: t('nav.customers'),
      active: path.startsWith('/customers') || path.startsWith('/runs'),
    },
    { href: '/segments', label: t('nav.segments'), active: path.startsWith('/segments') },
    { href: '/outbox', label: t('nav.outbox'), active: path.startsWith('/outbox') },
    // Plugins' screens that asked for a place in the navigation, in their own words.
    ...PLUGIN_SCREENS.filter((s) => s.nav && (!staff || s.forStaff)).map((s) => ({
      href: s.path,
      label: localize(s.title, lang),
      active: path === s.path || path.startsWith(`${s.path}/`),
    })),
  ];
  // Staff work with their own customers, tasks and complaints; the rest is not theirs to see.
  const nav = staff
    ? everyone.filter((n) => n.href === '/customers' || PLUGIN_SCREENS.some((s) => s.path === n.href))
    : everyone;
  return (
    <div className="app">
      <header className="topbar">
        <Link href="/" className="brand">
          Tend
        </Link>
        <nav aria-label={t('nav.label')}>
          <ul className="nav-list">
            {nav.map((n) => (
              <li key={n.href}>
                <Link href={n.href} aria-current={n.active ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-end">
          <label className="lang">
            <span className="sr-only">{t('nav.language')}</span>
            <select value={lang} onChange={(e) => setLang(e.target.value as Lang)} data-testid="language">
              {LANGS.map((l) => (
                <option key={l.id} value={l.id} lang={l.id}>
                  {l.label}
                </option>
              ))}
            </select>
          </label>
          {status.kind === 'signed-in' && (
            <>
              <span className="who" title={status.user.email}>
                {status.user.name ?? status.user.email} · {t(`role.${status.user.role}`)}
              </span>
              <button type="button" className="link-button" onClick={() => void signOut()}>
                {t('nav.signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      {children}
    </div>
  );
}
