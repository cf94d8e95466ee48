import { type EditorHost, useLoad } from '@tend/plugin-sdk/editor';
import { useState } from 'react';
import { TEXT } from './texts.ts';

/** What `GET /api/referrals/customers/:id` answers. */
interface Referrals {
  code: string | null;
  display: string | null;
  link: string | null;
  signedUp: number;
  converted: number;
  referredBy: string | null;
  referred: { customerId: string; name: string | null; signedUpAt: string; convertedAt: string | null }[];
}

/** On a customer's profile: their referral code and link, who they brought, who brought them. */
export function CustomerReferrals({ host, customerId }: { host: EditorHost; customerId?: string }) {
  const id = customerId ?? '';
  const path = `/api/referrals/customers/${encodeURIComponent(id)}`;
  const loaded = useLoad(`referrals:${id}`, () => host.get<Referrals>(path));
  const [made, setMade] = useState<Referrals | null>(null);
  const [error, setError] = useState<string | null>(null);
  const problem = error ?? loaded.error;
  if (problem)
    return <p role="alert">{host.text(TEXT.failed, { what: host.text(TEXT.title), message: problem })}</p>;
  const r = made ?? loaded.data;
  if (!r) return null;
  const open = (customer: string) => (e: { preventDefault(): void }) => {
    e.preventDefault();
    host.navigate(`/customers/${encodeURIComponent(customer)}`);
  };
  return (
    <>
      <dl className="stats" data-testid="referrals">
        <div>
          <dt>{host.text(TEXT.code)}</dt>
          <dd>{r.display ?? '—'}</dd>
        </div>
        <div>
          <dt>{host.text(TEXT.signedUp)}</dt>
          <dd>{r.signedUp}</dd>
        </div>
        <div>
          <dt>{host.text(TEXT.converted)}</dt>
          <dd>{r.converted}</dd>
        </div>
        {r.referredBy && (
          <div>
            <dt>{host.text(TEXT.referredBy)}</dt>
            <dd>
              <a href={`/customers/${encodeURIComponent(r.referredBy)}`} onClick={open(r.referredBy)}>
                {r.referredBy}
              </a>
            </dd>
          </div>
        )}
      </dl>
      {r.link ? (
        <p>
          {host.text(TEXT.link)}: <code>{r.link}</code>
        </p>
      ) : (
        <p className="muted">
          {host.text(TEXT.none)}{' '}
          {host.canServe && (
            <button
              type="button"
              onClick={() =>
                host.send<Referrals>('POST', `${path}/code`).then(setMade, (e: Error) => setError(e.message))
              }
            >
              {host.text(TEXT.create)}
            </button>
          )}
        </p>
      )}
      {r.referred.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{host.text(TEXT.friend)}</th>
              <th>{host.text(TEXT.joined)}</th>
              <th>{host.text(TEXT.firstOrder)}</th>
            </tr>
          </thead>
          <tbody>
            {r.referred.map((f) => (
              <tr key={f.customerId}>
                <td>
                  <a href={`/customers/${encodeURIComponent(f.customerId)}`} onClick={open(f.customerId)}>
                    {f.name ?? f.customerId}
                  </a>
                </td>
                <td>{host.formatDateTime(f.signedUpAt)}</td>
                <td>{f.convertedAt ? host.formatDateTime(f.convertedAt) : host.text(TEXT.notYet)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
