import { type EditorHost, useLoad } from '@tend/plugin-sdk/editor';
import { useState } from 'react';
import type { Complaint } from './complaint.ts';
import { ComplaintTable } from './complaint-table.tsx';
import { TEXT } from './texts.ts';

/** On a customer's profile: their complaints, and the link to the form to send them. */
export function CustomerComplaints({ host, customerId }: { host: EditorHost; customerId?: string }) {
  const [version, setVersion] = useState(0);
  const [link, setLink] = useState<string | null>(null);
  const id = customerId ?? '';
  const list = useLoad(`customer-complaints:${id}:${version}`, () =>
    host.get<{ complaints: Complaint[] }>('/api/complaints', { customer: id, limit: '50' }),
  );
  if (list.error)
    return <p role="alert">{host.text(TEXT.failed, { what: host.text(TEXT.title), message: list.error })}</p>;
  if (!list.data) return null;
  return (
    <>
      <ComplaintTable
        host={host}
        complaints={list.data.complaints}
        showCustomer={false}
        onChanged={() => setVersion((v) => v + 1)}
      />
      <p>
        <button
          type="button"
          className="small"
          onClick={async () =>
            setLink((await host.get<{ url: string }>('/api/complaints/form-link', { customer: id })).url)
          }
        >
          {host.text(TEXT.formLink)}
        </button>
      </p>
      {link && (
        <p className="small">
          <span className="muted">{host.text(TEXT.copyHint)}</span>
          <br />
          <input
            readOnly
            aria-label={host.text(TEXT.formLink)}
            value={link}
            onFocus={(e) => e.target.select()}
          />
        </p>
      )}
    </>
  );
}
