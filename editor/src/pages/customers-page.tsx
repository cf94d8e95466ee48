import { type FormEvent, useState } from 'react';
import { unwrap } from '../api/client.ts';
import { getJson } from '../api/get-json.ts';
import { loadPages } from '../api/load-pages.ts';
import { useSession } from '../api/session.tsx';
import { useQuery } from '../api/use-query.ts';
import { useI18n, useT } from '../i18n/i18n.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { CustomerBulkBar } from './customer-bulk-bar.tsx';
import { type Profile, RFM_SEGMENTS } from './customer-profile.tsx';
import { LoadProblem } from './missing-route.tsx';
import { CustomerStageBadge, lifecycleName } from './stage-badge.tsx';

const PAGE = 50;
type Filters = {
  stage: string;
  segment: string;
  abc: string;
  tag: string;
  owner: string;
  consent: string;
  sort: string;
  journey: string;
  state: string;
  /** RFM recency and frequency: a cell of the overview's grid (set by its link, shown as a chip). */
  r: string;
  f: string;
  /** Members of a saved segment (set by the segment's link, shown as a chip). */
  savedSegment: string;
};
const EMPTY: Filters = {
  stage: '',
  segment: '',
  abc: '',
  tag: '',
  owner: '',
  consent: '',
  sort: '',
  journey: '',
  state: '',
  r: '',
  f: '',
  savedSegment: '',
};
const CONSENTS = ['email:granted', 'email:withdrawn', 'sms:granted', 'sms:withdrawn'] as const;
const SORTS = ['created', 'last-order', 'revenue'] as const;

/** What the search box holds: an email, a phone number, or a customer id or part of a name. */
function searchQuery(text: string): { email: string } | { phone: string } | { id: string; name: string } {
  const s = text.trim();
  if (s.includes('@')) return { email: s };
  if (/^\+?[\d\s().-]{5,}$/.test(s)) return { phone: s };
  return { id: s, name: s };
}

/**
 * The customer base: find one by email, phone, id or part of a name (the filters still apply to
 * a name), or filter by stage, RFM, ABC, tag, owner, consent, journey and state.
 */
export function CustomersPage() {
  const t = useT();
  const { lang } = useI18n();
  const { canEdit } = useSession();
  const [search, setSearch] = useState('');
  const [searched, setSearched] = useState<Record<string, string> | null>(null);
  const { query: linked } = useLocation();
  // A link from the overview (`/customers?segment=champions`) opens the list filtered.
  const [filters, setFilters] = useState<Filters>(() => ({
    ...EMPTY,
    ...Object.fromEntries(
      (Object.keys(EMPTY) as (keyof Filters)[]).flatMap((k) => (linked.get(k) ? [[k, linked.get(k)]] : [])),
    ),
  }));
  const [pages, setPages] = useState<string[]>([]);
  // Rows picked by hand for a bulk action; they stay picked across pages of the same list.
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const lifecycle = useQuery('lifecycle', () =>
    unwrap(getJson<{ stages: { id: string }[]; customersByStage: Record<string, number> }>('/api/lifecycle')),
  );
  // Staff may not read journeys (403): then there is no journey filter.
  const journeys = useQuery('customers:journeys', () =>
    unwrap(getJson<{ workflows: { id: string; name: string }[] }>('/api/workflows')),
  );
  const states = useQuery(`customers:states:${filters.journey}`, async () =>
    filters.journey
      ? unwrap(
          getJson<{ states: { state: string; count: number }[] }>(
            `/api/workflows/${encodeURIComponent(filters.journey)}/live`,
          ),
        )
      : { states: [] },
  );
  const chosen = Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
  // A name search keeps the filters; an email or a phone finds one person whatever they are.
  const query: Record<string, string> = searched
    ? 'name' in searched
      ? { ...chosen, ...searched }
      : searched
    : chosen;
  const list = useQuery(`customers:${JSON.stringify({ query, pages })}`, async () => {
    const { rows, next } = await loadPages<Profile, 'customers'>(
      '/api/customers',
      query,
      pages,
      'customers',
      PAGE,
    );
    return { customers: rows, next };
  });
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setPages([]);
    setPicked(new Set());
    const q = searchQuery(search);
    if (!search.trim()) return setSearched(null);
    if ('id' in q) {
      const found = await getJson(`/api/customers/${encodeURIComponent(q.id)}`).then(
        (r) => r.ok,
        () => false,
      );
      if (found) return navigate(`/customers/${encodeURIComponent(q.id)}`);
      return setSearched({ name: q.name });
    }
    setSearched(q);
  }
  const set = (key: keyof Filters) => (e: { target: { value: string } }) => {
    setSearched((s) => (s && 'name' in s ? s : null));
    setPages([]);
    // Picks belong to the list they were made in.
    setPicked(new Set());
    // Another journey has other states.
    setFilters((f) => ({ ...f, [key]: e.target.value, ...(key === 'journey' ? { state: '' } : {}) }));
  };

  return (
    <main className="page">
      <div className="page-head">
        <h1>{t('customer.searchTitle')}</h1>
        {canEdit && (
          <Link className="button" href="/import">
            {t('import.open')}
          </Link>
        )}
      </div>
      <form onSubmit={submit} className="row align-end">
        <label className="field">
          {t('customers.search')}
          <input value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          {t('customers.find')}
        </button>
      </form>
      {(filters.r || filters.f) && (
        <p>
          <button
            type="button"
            className="chip"
            aria-label={t('customers.clearCell')}
            onClick={() => {
              setPages([]);
              setFilters((f) => ({ ...f, r: '', f: '' }));
            }}
          >
            {t('customers.rfmCell', { r: filters.r || '–', f: filters.f || '–' })} ×
          </button>
        </p>
      )}
      {filters.savedSegment && (
        <p>
          <button
            type="button"
            className="chip"
            aria-label={t('customers.clearSegment')}
            onClick={() => {
              setPages([]);
              setFilters((f) => ({ ...f, savedSegment: '' }));
            }}
          >
            {t('customers.inSavedSegment', { id: filters.savedSegment })} ×
          </button>
        </p>
      )}
      {searched && 'name' in searched && (
        <p className="muted">
          {t('customers.nameSearch', { name: searched.name })}{' '}
          <button type="button" className="link-button" onClick={() => setSearched(null)}>
            {t('customers.clearSearch')}
          </button>
        </p>
      )}
      <div className="filters">
        <label>
          {t('customers.stage')}
          <select value={filters.stage} onChange={set('stage')}>
            <option value="">{t('customers.any')}</option>
            {lifecycle.data?.stages.map((s) => (
              <option key={s.id} value={s.id}>
                {t('customers.inStage', {
                  stage: lifecycleName(t, s.id),
                  n: lifecycle.data?.customersByStage[s.id] ?? 0,
                })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('customers.segment')}
          <select value={filters.segment} onChange={set('segment')}>
            <option value="">{t('customers.any')}</option>
            {RFM_SEGMENTS.map((s) => (
              <option key={s} value={s}>
                {t(`rfm.${s}` as never)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('customers.abc')}
          <select value={filters.abc} onChange={set('abc')}>
            <option value="">{t('customers.any')}</option>
            {['A', 'B', 'C'].map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('customers.tag')}
          <input value={filters.tag} onChange={set('tag')} size={12} />
        </label>
        <label>
          {t('customers.consent')}
          <select value={filters.consent} onChange={set('consent')}>
            <option value="">{t('customers.any')}</option>
            {CONSENTS.map((c) => (
              <option key={c} value={c}>
                {t(`customers.consent.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('customers.sort')}
          <select value={filters.sort} onChange={set('sort')}>
            <option value="">{t('customers.sort.id')}</option>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`customers.sort.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('customers.owner')}
          <input value={filters.owner} onChange={set('owner')} size={18} />
        </label>
        {journeys.data && (
          <label>
            {t('customers.journey')}
            <select value={filters.journey} onChange={set('journey')}>
              <option value="">{t('customers.any')}</option>
              {journeys.data.workflows.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {filters.journey && (
          <label>
            {t('customers.state')}
            <select value={filters.state} onChange={set('state')}>
              <option value="">{t('customers.any')}</option>
              {states.data?.states.map((s) => (
                <option key={s.state} value={s.state}>
                  {t('customers.inStage', { stage: s.state, n: s.count })}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {!(searched && !('name' in searched)) && (
        <CustomerBulkBar
          filter={query}
          picked={[...picked]}
          onStarted={() => setPicked(new Set())}
          onDone={list.reload}
        />
      )}
      {picked.size > 0 && (
        <p>
          <button type="button" className="link-button" onClick={() => setPicked(new Set())}>
            {t('bulk.clearPicked')}
          </button>
        </p>
      )}
      <LoadProblem error={list.error} what={t('customer.searchTitle')} />
      {list.data && list.data.customers.length === 0 && <p className="muted">{t('customers.none')}</p>}
      {list.data && list.data.customers.length > 0 && (
        <table className="table" data-testid="customer-list">
          <thead>
            <tr>
              {canEdit && (
                <th>
                  <input
                    type="checkbox"
                    aria-label={t('bulk.pickPage')}
                    checked={list.data.customers.every((c) => picked.has(c.id))}
                    onChange={(e) => {
                      const ids = list.data?.customers.map((c) => c.id) ?? [];
                      setPicked((p) => {
                        const next = new Set(p);
                        for (const id of ids)
                          if (e.target.checked) next.add(id);
                          else next.delete(id);
                        return next;
                      });
                    }}
                  />
                </th>
              )}
              <th>{t('customers.customer')}</th>
              <th>{t('profile.email')}</th>
              <th>{t('customers.stage')}</th>
              <th>{t('customers.segment')}</th>
              <th className="num">{t('customers.orders')}</th>
              <th className="num">{t('customers.revenue')}</th>
              <th>{t('customers.lastOrder')}</th>
              <th>{t('customers.owner')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.customers.map((c) => (
              <tr key={c.id}>
                {canEdit && (
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('bulk.pick', { name: c.name ?? c.id })}
                      checked={picked.has(c.id)}
                      onChange={(e) =>
                        setPicked((p) => {
                          const next = new Set(p);
                          if (e.target.checked) next.add(c.id);
                          else next.delete(c.id);
                          return next;
                        })
                      }
                    />
                  </td>
                )}
                <td>
                  <Link href={`/customers/${encodeURIComponent(c.id)}`}>{c.name ?? c.id}</Link>
                  {c.name && <div className="muted small">{c.id}</div>}
                </td>
                <td>{c.email ?? '—'}</td>
                <td>
                  <CustomerStageBadge stage={c.stage} />
                </td>
                <td>
                  {c.rfm?.segment
                    ? RFM_SEGMENTS.includes(c.rfm.segment)
                      ? t(`rfm.${c.rfm.segment}` as never)
                      : c.rfm.segment
                    : '—'}
                </td>
                <td className="num">{c.rfm ? number.format(c.rfm.orders) : '—'}</td>
                <td className="num">{c.rfm ? number.format(c.rfm.revenue) : '—'}</td>
                <td>{c.rfm?.lastOrderAt ? dates.format(new Date(c.rfm.lastOrderAt)) : '—'}</td>
                <td>{c.owner ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data && list.data.customers.length > 0 && (
        <p className="muted small">{t('customers.shown', { n: list.data.customers.length })}</p>
      )}
      {list.data?.next && (
        <button type="button" onClick={() => setPages((p) => [...p, list.data?.next as string])}>
          {t('customers.more')}
        </button>
      )}
    </main>
  );
}
