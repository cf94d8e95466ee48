import { type EditorScreenProps, useLoad } from '@tend/plugin-sdk/editor';
import { useState } from 'react';
import { BUCKETS, type Bucket, type Task } from './task.ts';
import { TaskTable } from './task-table.tsx';
import { TEXT } from './texts.ts';

type Whose = 'me' | 'everyone' | 'someone';
const PAGE = 50;

/** A person's tasks: overdue, due today (their today), upcoming and done, a page at a time. */
export function TaskInbox({ host }: EditorScreenProps) {
  const [bucket, setBucket] = useState<Bucket>('overdue');
  const [whose, setWhose] = useState<Whose>('me');
  const [person, setPerson] = useState('');
  const [customer, setCustomer] = useState('');
  const [pages, setPages] = useState<string[]>([]);
  const [saved, setSaved] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const filter: Record<string, string> = {
    tz: host.timeZone,
    ...(whose === 'me'
      ? { assignee: 'me' }
      : whose === 'someone' && person.trim()
        ? { assignee: person.trim() }
        : {}),
    ...(customer.trim() ? { customer: customer.trim() } : {}),
  };
  const key = JSON.stringify({ filter, bucket, pages, version });
  const counts = useLoad(
    `counts:${key}`,
    () => host.get<Record<Bucket, number>>('/api/tasks/counts', filter),
    30_000,
  );
  const list = useLoad(
    `tasks:${key}`,
    async () => {
      const query = {
        ...filter,
        limit: String(PAGE),
        ...(bucket === 'done' ? { status: 'done' } : { due: bucket }),
      };
      // Every page shown so far, again: a completed task leaves the list without a gap.
      const tasks: Task[] = [];
      let next: string | null = null;
      let now = '';
      for (const after of ['', ...pages]) {
        const page: { tasks: Task[]; next: string | null; now: string } = await host.get('/api/tasks', {
          ...query,
          ...(after ? { after } : {}),
        });
        tasks.push(...page.tasks);
        next = page.next;
        now = page.now;
        if (!next) break;
      }
      return { tasks, next, now };
    },
    30_000,
  );
  const choose = (b: Bucket) => {
    setBucket(b);
    setPages([]);
    setSaved(null);
  };
  return (
    <main className="page">
      <h1>{host.text(whose === 'me' ? TEXT.inboxTitle : TEXT.title)}</h1>
      <div className="filters">
        <label>
          {host.text(TEXT.whose)}
          <select
            value={whose}
            onChange={(e) => {
              setWhose(e.target.value as Whose);
              setPages([]);
            }}
          >
            <option value="me">{host.text(TEXT.mine)}</option>
            <option value="everyone">{host.text(TEXT.everyone)}</option>
            <option value="someone">{host.text(TEXT.person)}</option>
          </select>
        </label>
        {whose === 'someone' && (
          <label>
            {host.text(TEXT.assignee)}
            <input value={person} onChange={(e) => setPerson(e.target.value)} />
          </label>
        )}
        <label>
          {host.text(TEXT.customerFilter)}
          <input value={customer} onChange={(e) => setCustomer(e.target.value)} />
        </label>
      </div>
      <div className="row wrap" role="tablist">
        {BUCKETS.map((b) => (
          <button
            key={b}
            type="button"
            role="tab"
            aria-selected={bucket === b}
            className={`tab${bucket === b ? ' active' : ''}`}
            onClick={() => choose(b)}
          >
            {host.text(TEXT[b])} <span className="badge">{counts.data?.[b] ?? '…'}</span>
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
        <TaskTable
          host={host}
          tasks={list.data.tasks}
          now={list.data.now}
          showCustomer
          onChanged={(what) => {
            setSaved(what);
            setVersion((v) => v + 1);
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
