import { CSV_BOM, toCsv } from '@tend/plugin-sdk/csv';
import { parse } from 'csv-parse/browser/esm/sync';
import { useState } from 'react';
import { useSession } from '../api/session.tsx';
import { useI18n, useT } from '../i18n/i18n.tsx';
import { Link } from '../router.tsx';
import {
  type ColumnMapping,
  guessMapping,
  mappingProblem,
  ndjsonLines,
  rowToCustomer,
  TARGETS,
  type Target,
} from './import-mapping.ts';
import { CUSTOMERS_SAMPLE, downloadText, EVENTS_SAMPLE } from './import-samples.ts';
import { type ImportProgress, runImport } from './run-import.ts';

type Kind = 'customers' | 'events';
interface CsvFile {
  name: string;
  header: string[];
  rows: { line: number; cells: string[] }[];
}
interface EventsFile {
  name: string;
  lines: ReturnType<typeof ndjsonLines>;
}

/** How many rows the mapping step shows as examples. */
const EXAMPLES = 3;

/**
 * `/import`: customers from a CSV (each column mapped to a field, a consent or an attribute) or
 * events from NDJSON, sent a batch at a time with progress; every refused line is listed with
 * its reason and can be downloaded; the good ones are stored.
 */
export function ImportPage() {
  const t = useT();
  const { canEdit } = useSession();
  const [kind, setKind] = useState<Kind>('customers');
  const [csv, setCsv] = useState<CsvFile | null>(null);
  const [events, setEvents] = useState<EventsFile | null>(null);
  const [mappings, setMappings] = useState<ColumnMapping[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const running = progress !== null && progress.done < progress.total && !progress.stopped;

  const reset = () => {
    setCsv(null);
    setEvents(null);
    setProgress(null);
    setProblem(null);
  };

  async function choose(file: File | undefined) {
    reset();
    if (!file) return;
    const text = await file.text();
    if (kind === 'events') return setEvents({ name: file.name, lines: ndjsonLines(text) });
    try {
      const records = parse(text, {
        bom: true,
        skip_empty_lines: true,
        relax_column_count: true,
        info: true,
      }) as unknown as { record: string[]; info: { lines: number } }[];
      const [head, ...rows] = records;
      if (!head) return setProblem(t('import.problem.empty'));
      setCsv({
        name: file.name,
        header: head.record,
        rows: rows.map((r) => ({ line: r.info.lines, cells: r.record })),
      });
      setMappings(head.record.map(guessMapping));
    } catch (error) {
      setProblem(`${t('import.problem.csv')} ${(error as Error).message}`);
    }
  }

  async function start() {
    if (csv) {
      const items = csv.rows.map(({ line, cells }) => {
        const r = rowToCustomer(cells, mappings);
        const id = cells[mappings.findIndex((m) => m.target === 'id')]?.trim() ?? '';
        return r.ok ? { line, id, item: r.customer } : { line, id, message: r.message };
      });
      await runImport('/api/customers/batch', items, setProgress);
    } else if (events) {
      const items = events.lines.map((l) => ({
        ...l,
        id: String((l.item as { customerId?: unknown } | undefined)?.customerId ?? ''),
      }));
      await runImport('/api/events/batch', items, setProgress);
    }
  }

  const mapProblem = csv ? mappingProblem(mappings) : null;
  const count = csv?.rows.length ?? events?.lines.length ?? 0;
  return (
    <main className="page">
      <p>
        <Link href="/customers">← {t('nav.customers')}</Link>
      </p>
      <h1>{t('import.title')}</h1>
      <p className="muted">{t('import.intro')}</p>
      {!canEdit && <p role="alert">{t('import.notAllowed')}</p>}
      <fieldset className="import-kind" disabled={running}>
        <legend>{t('import.kind')}</legend>
        {(['customers', 'events'] as const).map((k) => (
          <label key={k} className="check">
            <input
              type="radio"
              name="kind"
              value={k}
              checked={kind === k}
              onChange={() => {
                reset();
                setKind(k);
              }}
            />
            {t(`import.kind.${k}`)}
          </label>
        ))}
      </fieldset>
      <div className="row align-end">
        <label className="field">
          {t(kind === 'customers' ? 'import.fileCsv' : 'import.fileNdjson')}
          <input
            type="file"
            accept={kind === 'customers' ? '.csv,text/csv' : '.ndjson,.jsonl,.json,application/x-ndjson'}
            disabled={running || !canEdit}
            onChange={(e) => void choose(e.target.files?.[0])}
          />
        </label>
        <button
          type="button"
          onClick={() =>
            kind === 'customers'
              ? downloadText('tend-customers-sample.csv', CSV_BOM + CUSTOMERS_SAMPLE, 'text/csv')
              : downloadText('tend-events-sample.ndjson', EVENTS_SAMPLE, 'application/x-ndjson')
          }
        >
          {t('import.sample')}
        </button>
      </div>
      <p className="muted small">{t(kind === 'customers' ? 'import.columnsHelp' : 'import.eventsHelp')}</p>
      {problem && <p role="alert">{problem}</p>}

      {csv && !progress && (
        <section aria-label={t('import.mapping')}>
          <h2>{t('import.mapping')}</h2>
          <p>{t('import.rows', { n: csv.rows.length, file: csv.name })}</p>
          <table className="table" data-testid="import-mapping">
            <thead>
              <tr>
                <th>{t('import.column')}</th>
                <th>{t('import.examples')}</th>
                <th>{t('import.goesTo')}</th>
              </tr>
            </thead>
            <tbody>
              {csv.header.map((h, i) => {
                const m = mappings[i] ?? { target: 'ignore', attribute: '' };
                const set = (next: Partial<ColumnMapping>) =>
                  setMappings((all) => all.map((x, j) => (j === i ? { ...x, ...next } : x)));
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns are their place in the file
                  <tr key={i}>
                    <th scope="row">{h}</th>
                    <td className="muted small">
                      {csv.rows
                        .slice(0, EXAMPLES)
                        .map((r) => r.cells[i] ?? '')
                        .filter(Boolean)
                        .join(' · ')}
                    </td>
                    <td>
                      <select
                        aria-label={t('import.goesToColumn', { column: h })}
                        value={m.target}
                        onChange={(e) => {
                          const target = e.target.value as Target;
                          set({ target, attribute: target === 'attribute' ? m.attribute || h : m.attribute });
                        }}
                      >
                        {TARGETS.map((target) => (
                          <option key={target} value={target}>
                            {t(`import.target.${target}`)}
                          </option>
                        ))}
                      </select>{' '}
                      {m.target === 'attribute' && (
                        <input
                          aria-label={t('import.attributeName', { column: h })}
                          value={m.attribute}
                          size={14}
                          onChange={(e) => set({ attribute: e.target.value })}
                        />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {mapProblem && <p role="alert">{t(mapProblem)}</p>}
          <button
            type="button"
            className="primary"
            disabled={!!mapProblem || !canEdit || csv.rows.length === 0}
            onClick={() => void start()}
          >
            {t('import.startCustomers', { n: csv.rows.length })}
          </button>
        </section>
      )}

      {events && !progress && (
        <section aria-label={t('import.mapping')}>
          <p>{t('import.lines', { n: events.lines.length, file: events.name })}</p>
          <pre className="code small">
            {events.lines
              .slice(0, EXAMPLES)
              .map((l) => (l.item === undefined ? l.message : JSON.stringify(l.item)))
              .join('\n')}
          </pre>
          <button
            type="button"
            className="primary"
            disabled={!canEdit || events.lines.length === 0}
            onClick={() => void start()}
          >
            {t('import.startEvents', { n: events.lines.length })}
          </button>
        </section>
      )}

      {progress && <ImportReport progress={progress} total={count} kind={kind} onAgain={reset} />}
    </main>
  );
}

function ImportReport({
  progress,
  total,
  kind,
  onAgain,
}: {
  progress: ImportProgress;
  total: number;
  kind: Kind;
  onAgain: () => void;
}) {
  const t = useT();
  const { lang } = useI18n();
  const n = new Intl.NumberFormat(lang);
  const finished = progress.done >= progress.total || progress.stopped !== null;
  return (
    <section aria-label={t('import.report')}>
      <h2>{t('import.report')}</h2>
      <p role="status">
        <progress max={Math.max(total, 1)} value={progress.done} />{' '}
        {finished
          ? t(kind === 'customers' ? 'import.doneCustomers' : 'import.doneEvents', {
              stored: n.format(progress.stored),
              rejected: n.format(progress.rejected.length),
            })
          : t('import.progress', { done: n.format(progress.done), total: n.format(total) })}
      </p>
      {progress.stopped && <p role="alert">{t('import.stopped', { message: progress.stopped })}</p>}
      {progress.rejected.length > 0 && (
        <>
          <h3>{t('import.rejected', { n: progress.rejected.length })}</h3>
          <table className="table" data-testid="import-rejected">
            <thead>
              <tr>
                <th className="num">{t('import.line')}</th>
                <th>{t('import.id')}</th>
                <th>{t('import.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {progress.rejected.slice(0, 200).map((r) => (
                <tr key={r.line}>
                  <td className="num">{r.line}</td>
                  <td>{r.id || '—'}</td>
                  <td>{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            onClick={() =>
              downloadText(
                'tend-import-rejected.csv',
                toCsv(
                  ['line', 'id', 'reason'],
                  progress.rejected.map((r) => [r.line, r.id, r.message]),
                ),
                'text/csv',
              )
            }
          >
            {t('import.downloadRejected')}
          </button>
        </>
      )}
      {finished && (
        <p>
          <button type="button" onClick={onAgain}>
            {t('import.again')}
          </button>{' '}
          {kind === 'customers' && <Link href="/customers">{t('import.seeCustomers')}</Link>}
        </p>
      )}
    </section>
  );
}
