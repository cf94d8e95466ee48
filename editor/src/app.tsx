import { useEffect } from 'react';
import { SessionProvider, useSession } from './api/session.tsx';
import { EditorPage } from './editor/editor-page.tsx';
import { useT } from './i18n/i18n.tsx';
import { ImportPage } from './import/import-page.tsx';
import { CustomerPage } from './pages/customer-page.tsx';
import { CustomersPage } from './pages/customers-page.tsx';
import { Layout } from './pages/layout.tsx';
import { MessagePage } from './pages/message-page.tsx';
import { OutboxPage } from './pages/outbox-page.tsx';
import { OverviewPage } from './pages/overview-page.tsx';
import { RunPage } from './pages/run-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { WorkflowsPage } from './pages/workflows-page.tsx';
import { PluginScreen, pluginScreenAt } from './plugins/plugin-screens.tsx';
import { match, navigate, useLocation } from './router.tsx';
import { SegmentPage } from './segments/segment-page.tsx';
import { SegmentsPage } from './segments/segments-page.tsx';

/** The editor: sign-in first, then the pages. */
export function App() {
  return (
    <SessionProvider>
      <Shell />
    </SessionProvider>
  );
}

function Shell() {
  const { status } = useSession();
  const t = useT();
  if (status.kind === 'loading') {
    return (
      <p className="centered" role="status">
        {t('common.loading')}
      </p>
    );
  }
  if (status.kind === 'signed-out') return <SignInPage needsSetup={status.needsSetup} />;
  return (
    <Layout>
      <Routes />
    </Layout>
  );
}

const PAGES: [string, (p: Record<string, string>) => React.ReactNode][] = [
  ['/', () => <WorkflowsPage />],
  ['/workflows', () => <WorkflowsPage />],
  ['/workflows/:id', (p) => <EditorPage key={p.id} id={p.id ?? ''} />],
  ['/outbox', () => <OutboxPage />],
  ['/outbox/:key', (p) => <MessagePage messageKey={p.key ?? ''} />],
  ['/overview', () => <OverviewPage />],
  ['/customers', () => <CustomersPage />],
  ['/import', () => <ImportPage />],
  ['/customers/:id', (p) => <CustomerPage id={p.id ?? ''} />],
  ['/segments', () => <SegmentsPage />],
  ['/segments/:id', (p) => <SegmentPage key={p.id} id={p.id ?? ''} />],
  ['/runs/:id', (p) => <RunPage id={p.id ?? ''} />],
];

/** Where a staff member starts: their tasks (journeys and the outbox are not theirs to see). */
function StaffHome() {
  // After this commit's effects: the router subscribes to navigation in its own effect, which runs
  // after this child's.
  useEffect(() => {
    const later = setTimeout(() => navigate('/tasks', { replace: true }), 0);
    return () => clearTimeout(later);
  }, []);
  return null;
}

function Routes() {
  const { path } = useLocation();
  const t = useT();
  const { status } = useSession();
  if (status.kind === 'signed-in' && status.user.role === 'staff' && (path === '/' || path === '/workflows'))
    return <StaffHome />;
  for (const [pattern, render] of PAGES) {
    const params = pattern === '/' ? (path === '/' ? {} : null) : match(pattern, path);
    if (params) return render(params);
  }
  const plugin = pluginScreenAt(path);
  if (plugin) return <PluginScreen key={path} screen={plugin.screen} params={plugin.params} />;
  return (
    <main className="page">
      <h1>{t('common.notFound')}</h1>
    </main>
  );
}
