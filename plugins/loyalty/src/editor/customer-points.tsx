import { type EditorHost, useLoad } from '@tend/plugin-sdk/editor';
import { TEXT } from './texts.ts';

/** What `GET /api/loyalty/:customer` answers. */
interface Points {
  balance: number;
  earned: number;
  tier: string | null;
  ledger: { key: string; points: number; status: string; balance: number; reason: string; at: string }[];
}

/** On a customer's profile: their points balance, tier and the latest ledger entries. */
export function CustomerPoints({ host, customerId }: { host: EditorHost; customerId?: string }) {
  const id = customerId ?? '';
  const points = useLoad(`points:${id}`, () => host.get<Points>(`/api/loyalty/${encodeURIComponent(id)}`));
  if (points.error)
    return (
      <p role="alert">{host.text(TEXT.failed, { what: host.text(TEXT.title), message: points.error })}</p>
    );
  const p = points.data;
  if (!p) return null;
  return (
    <>
      <dl className="stats" data-testid="loyalty-points">
        <div>
          <dt>{host.text(TEXT.balance)}</dt>
          <dd>{p.balance}</dd>
        </div>
        <div>
          <dt>{host.text(TEXT.earned)}</dt>
          <dd>{p.earned}</dd>
        </div>
        <div>
          <dt>{host.text(TEXT.tier)}</dt>
          <dd>{p.tier ?? host.text(TEXT.noTier)}</dd>
        </div>
      </dl>
      {p.ledger.length === 0 ? (
        <p className="muted">{host.text(TEXT.noEntries)}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{host.text(TEXT.when)}</th>
              <th className="num">{host.text(TEXT.points)}</th>
              <th>{host.text(TEXT.reason)}</th>
              <th className="num">{host.text(TEXT.after)}</th>
            </tr>
          </thead>
          <tbody>
            {p.ledger.slice(0, 20).map((e) => (
              <tr key={e.key}>
                <td>{host.formatDateTime(e.at)}</td>
                <td className="num">
                  {e.status === 'declined' ? (
                    <span className="muted">{host.text(TEXT.declined)}</span>
                  ) : e.points > 0 ? (
                    `+${e.points}`
                  ) : (
                    e.points
                  )}
                </td>
                <td>{e.reason}</td>
                <td className="num">{e.balance}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
