import type { CryptoService } from '@tend/plugin-sdk';
import type { ChangeRow, ComplaintRow } from './complaints-store.ts';
import { reference } from './form-routes.ts';

/** A complaint as the API shows it: texts decrypted, deadlines with whether they were missed. */
export function complaintView(r: ComplaintRow, crypto: CryptoService, now: Date) {
  const inHand = r.status === 'open' || r.status === 'acknowledged';
  return {
    id: r.id,
    reference: reference(r.id),
    customerId: r.customer_id,
    channel: r.channel,
    category: r.category,
    severity: r.severity,
    description: crypto.decrypt(r.description_enc),
    attachments: r.attachments,
    store: r.store,
    owner: r.owner,
    level: r.level,
    status: r.status,
    receivedAt: r.received_at.toISOString(),
    respondBy: r.respond_by.toISOString(),
    resolveBy: r.resolve_by.toISOString(),
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
    responseBreached:
      r.response_breached_at !== null || (inHand && !r.acknowledged_at && r.respond_by <= now),
    resolutionBreached: r.resolution_breached_at !== null || (inHand && r.resolve_by <= now),
    resolution: r.resolution_enc ? crypto.decrypt(r.resolution_enc) : null,
    reopened: r.reopened,
    csat: r.csat,
  };
}

/** One change of a complaint: who, when, what, and the note. */
export function changeView(c: ChangeRow, crypto: CryptoService) {
  return {
    at: c.at.toISOString(),
    by: c.by,
    kind: c.kind,
    detail: c.detail,
    note: c.note_enc ? crypto.decrypt(c.note_enc) : null,
  };
}
