import type { EditorHost } from '@tend/plugin-sdk/editor';
import { useState } from 'react';
import { useCategories } from './categories.ts';
import { type Complaint, MOVES, type Move } from './complaint.ts';
import { MoveDialog } from './move-dialog.tsx';
import { TEXT } from './texts.ts';

const SEVERITY_CLASS = { low: '', medium: 'stage-retain', high: 'stage-win-back' } as const;

/** Complaints with their deadlines and what can be done about each. */
export function ComplaintTable({
  host,
  complaints,
  showCustomer,
  onChanged,
}: {
  host: EditorHost;
  complaints: Complaint[];
  showCustomer: boolean;
  onChanged: (what: string) => void;
}) {
  const [acting, setActing] = useState<{ complaint: Complaint; move: Move } | null>(null);
  const categories = useCategories(host);
  if (complaints.length === 0) return <p className="muted">{host.text(TEXT.none)}</p>;
  return (
    <>
      <table className="table">
        <thead>
          <tr>
            <th>{host.text(TEXT.reference)}</th>
            {showCustomer && <th>{host.text(TEXT.customer)}</th>}
            <th>{host.text(TEXT.complaint)}</th>
            <th>{host.text(TEXT.status)}</th>
            <th>{host.text(TEXT.owner)}</th>
            <th>{host.text(TEXT.deadline)}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {complaints.map((c) => {
            const inHand = c.status === 'open' || c.status === 'acknowledged';
            const answering = c.status === 'open';
            const missed = answering ? c.responseBreached : c.resolutionBreached;
            return (
              <tr key={c.id}>
                <td>
                  <strong>{c.reference}</strong>
                  <div className="muted small">{host.formatDateTime(c.receivedAt)}</div>
                </td>
                {showCustomer && (
                  <td>
                    <a
                      href={`/customers/${encodeURIComponent(c.customerId)}`}
                      onClick={(e) => {
                        e.preventDefault();
                        host.navigate(`/customers/${encodeURIComponent(c.customerId)}`);
                      }}
                    >
                      {c.customerId}
                    </a>
                  </td>
                )}
                <td>
                  <span className={`badge ${SEVERITY_CLASS[c.severity]}`}>{host.text(TEXT[c.severity])}</span>{' '}
                  <span className="muted small">{categories.name(c.category)}</span>
                  <div>{c.description}</div>
                  {c.attachments.length > 0 && (
                    <div className="small">
                      {host.text(TEXT.attachments)}:{' '}
                      {c.attachments.map((a, i) => (
                        <a key={a} href={a} target="_blank" rel="noreferrer noopener">
                          {i + 1}{' '}
                        </a>
                      ))}
                    </div>
                  )}
                  {c.resolution && <div className="small ok">{c.resolution}</div>}
                  {c.csat !== null && <div className="small">CSAT {c.csat}</div>}
                </td>
                <td>{host.text(TEXT[c.status])}</td>
                <td>
                  {c.owner}
                  {c.level > 0 && <div className="small muted">{host.text(TEXT.level, { n: c.level })}</div>}
                </td>
                <td>
                  {inHand ? (
                    <>
                      {host.text(answering ? TEXT.respondBy : TEXT.resolveBy, {
                        at: host.formatDateTime(answering ? c.respondBy : c.resolveBy),
                      })}
                      {missed && <span className="badge stage-win-back"> {host.text(TEXT.missed)}</span>}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="actions">
                  {host.canServe &&
                    MOVES[c.status].map((move) => (
                      <button
                        key={move}
                        type="button"
                        className={`small${move === 'acknowledge' || move === 'resolve' ? ' primary' : ''}`}
                        onClick={() => setActing({ complaint: c, move })}
                      >
                        {host.text(TEXT[move])}
                      </button>
                    ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {acting && (
        <MoveDialog
          host={host}
          complaint={acting.complaint}
          move={acting.move}
          onClose={() => setActing(null)}
          onDone={(what) => {
            setActing(null);
            onChanged(what);
          }}
        />
      )}
    </>
  );
}
