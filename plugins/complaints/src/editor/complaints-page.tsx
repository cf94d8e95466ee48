import { type EditorScreenProps, useLoad } from '@tend/plugin-sdk/editor';
import { useState } from 'react';
import { useCategories } from './categories.ts';
import type { Complaint } from './complaint.ts';
import { ComplaintFigures } from './complaint-figures.tsx';
import { ComplaintTable } from './complaint-table.tsx';
import { TEXT } from './texts.ts';

const VIEWS = {
  inHand: { status: 'open,acknowledged' },
  late: { status: 'open,acknowledged', breached: 'true' },
  resolvedTab: { status: 'resolved' },
  closedTab: { status: 'closed' },
  all: {},
} as const;
type View = keyof typeof VIEWS;
const PAGE = 50;

/** The service desk's complaints: what is in hand, what ran late, and how the month went. */
export function ComplaintsPage({ host }: EditorScreenProps) {
  const [view, setView] = useState<View>('inHand');
  const [mine, setMine] = useState(false);
  const [category, setCategory] = useState('');
  const [pages, setPages] = useState<string[]>([]);
  const [saved, setSaved] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const categories = useCategories(host);
  const query: Record<string, string> = {
    ...VIEWS[view],
    ...(mine ? { owner: 'me' } : {}),
    ...(category ? { category } : {}),
    limit: String(PAGE),
  };
  const list = useLoad(`complaints:${JSON.stringify({ query, pages, version })}`, async () => {
    const complaints: Complaint[] = [];
    let next: string | null = null;
    for (const after of ['', ...pages]) {
      const page: { complaints: Complaint[]; next: string | null } = await host.get('/api/complaints', {
        ...query,
        ...(after ? { after } : {}),
      });
      complaints.push(...page.complaints);
      next = page.next;
      if (!next) break;
    }
    return { complaints, next };
  });
  return (
    <main className="page">
      <h1>{host.text(TEXT.title)}</h1>
      <ComplaintFigures host={host} version={version} />
      <h2>{host.text(TEXT.list)}</h2>
      <div className="filters">
        <label>
          {host.text(TEXT.whose)}
          <select
            value={mine ? 'me' : 'all'}
            onChange={(e) => {
              setMine(e.target.value === 'me');
              setPages([]);
            }}
          >
            <option value="all">{host.text(TEXT.everyone)}</option>
            <option value="me">{host.text(TEXT.mine)}</option>
          </select>
        </label>
        <label>
          {host.text(TEXT.category)}
          <select
            value={category}
            onChange={(e) => {
              setCategory(e.target.value);
              setPages([]);
            }}
          >
            <option value="">{host.text(TEXT.anyCategory)}</option>
            {categories.categories.map((c) => (
              <option key={c.id} value={c.id}>
                {categories.name(c.id)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="row wrap" role="tablist">
        {(Object.keys(VIEWS) as View[]).map((v) => (
          <button
            key={v}
            type="button"
            role="tab"
            aria-selected={view === v}
            className={`tab${view === v ? ' active' : ''}`}
            onClick={() => {
              setView(v);
              setPages([]);
            }}
          >
            {host.text(TEXT[v])}
          </button>
        ))}
      </div>
      {saved && (
        <p role="status" className="ok">
          {host.text(TEXT.saved, { what: saved })}
        </p>
      )}
      {list.error && (
        <p role="alert">{host.text(TEXT.failed, { what: host.text(TEXT.title), message: list.error })}</p>
      )}
      {list.data && (
        <ComplaintTable
          host={host}
          complaints={list.data.complaints}
          showCustomer
          onChanged={(what) => {
            setSaved(what);
            setVersion((n) => n + 1);
          }}
        />
      )}
      {list.data?.next && (
        <button type="button" onClick={() => setPages((p) => [...p, list.data?.next as string])}>
          {host.text(TEXT.more)}
        </button>
      )}
    </main>
  );
}
