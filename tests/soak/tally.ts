import pg from 'pg';
import type { SmtpPeer } from '../support/smtp-peer.ts';
import type { LaneResult } from './lane.ts';
import type { SoakPeer } from './peers.ts';

/** Per kind of effect: how many there should be, and how many were lost, doubled or repeated. */
export interface Tally {
  kind: string;
  expected: number;
  done: number;
  lost: number;
  /** A second effect for one run (another key, another Message-ID, a second ledger entry…). */
  doubled: number;
  /** The same effect delivered again under its one key (a deduplicating receiver drops it). */
  repeated: number;
  /** Sends whose outcome Tend did not know after a kill and holds for a person (policy hold). */
  uncertain: number;
}

const row = (kind: string, expected: number, part: Partial<Tally>): Tally => ({
  kind,
  expected,
  done: 0,
  lost: 0,
  doubled: 0,
  repeated: 0,
  uncertain: 0,
  ...part,
});

/** Waits until every accepted customer's run has ended (or the deadline passes). */
export async function waitForRuns(lane: LaneResult, deadlineMs: number): Promise<void> {
  const db = new pg.Client({ connectionString: lane.databaseUrl });
  await db.connect();
  try {
    for (;;) {
      const r = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM runs WHERE workflow_id = 'soak' AND status <> 'active'`,
      );
      if ((r.rows[0]?.n ?? 0) >= lane.accepted.length || Date.now() > deadlineMs) return;
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await db.end();
  }
}

/** Counts, for one lane, what its database says happened. */
export interface LaneTally {
  rows: Tally[];
  /** Customers whose message of that channel is held as uncertain. */
  held: { email: Set<string>; webhook: Set<string> };
}

export async function tallyLane(lane: LaneResult): Promise<LaneTally> {
  const db = new pg.Client({ connectionString: lane.databaseUrl });
  await db.connect();
  const ids = lane.accepted;
  const perCustomer = async (sql: string): Promise<Map<string, number>> => {
    const r = await db.query<{ c: string; n: number }>(sql, [ids]);
    return new Map(r.rows.map((x) => [x.c, x.n]));
  };
  const count = (kind: string, seen: Map<string, number>) =>
    row(kind, ids.length, {
      done: ids.filter((id) => (seen.get(id) ?? 0) >= 1).length,
      lost: ids.filter((id) => (seen.get(id) ?? 0) === 0).length,
      doubled: ids.filter((id) => (seen.get(id) ?? 0) > 1).length,
    });
  try {
    const runs = await perCustomer(
      `SELECT customer_id AS c, count(*)::int AS n FROM runs
       WHERE workflow_id = 'soak' AND status = 'completed' AND customer_id = ANY($1) GROUP BY 1`,
    );
    // A step completed twice would show as two step.done entries of one step in one run.
    const steps = await perCustomer(
      `SELECT r.customer_id AS c, max(k.n)::int AS n FROM runs r
       JOIN (SELECT run_id, step, count(*) AS n FROM run_history_entries
             WHERE type = 'step.done' GROUP BY run_id, step) k ON k.run_id = r.id
       WHERE r.workflow_id = 'soak' AND r.customer_id = ANY($1) GROUP BY 1`,
    );
    const stepsDone = await perCustomer(
      `SELECT r.customer_id AS c, count(*)::int AS n FROM runs r JOIN step_results s ON s.run_id = r.id
       WHERE r.workflow_id = 'soak' AND s.status = 'done' AND r.customer_id = ANY($1) GROUP BY 1`,
    );
    // The timer: the second state is entered once per run, never before the 2 s have passed.
    const timers = await perCustomer(
      `SELECT r.customer_id AS c, count(*)::int AS n FROM runs r JOIN run_history_entries h ON h.run_id = r.id
       WHERE r.workflow_id = 'soak' AND h.type = 'state.entered' AND h.state = 'second'
         AND r.customer_id = ANY($1) GROUP BY 1`,
    );
    const early = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM runs r
       JOIN run_history_entries a ON a.run_id = r.id AND a.type = 'state.entered' AND a.state = 'first'
       JOIN run_history_entries b ON b.run_id = r.id AND b.type = 'state.entered' AND b.state = 'second'
       WHERE r.workflow_id = 'soak' AND b.at < a.at + interval '2 seconds'`,
    );
    const ledger = await perCustomer(
      `SELECT customer_id AS c, count(*)::int AS n FROM plugin_loyalty.ledger
       WHERE reason = 'soak' AND customer_id = ANY($1) GROUP BY 1`,
    );
    const balances = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM plugin_loyalty.accounts
       WHERE customer_id = ANY($1) AND balance <> 10`,
      [ids],
    );
    const tags = await perCustomer(
      `SELECT id AS c, 1 AS n FROM customers WHERE 'soaked' = ANY(tags) AND id = ANY($1)`,
    );
    const outbox = await db.query<{ c: string; channel: string; status: string }>(
      `SELECT customer_id AS c, channel, status FROM outbox WHERE customer_id = ANY($1)`,
      [ids],
    );
    const sentOrHeld = (channel: string) => {
      const of = outbox.rows.filter((o) => o.channel === channel);
      const sent = new Map<string, number>();
      for (const o of of.filter((x) => x.status === 'sent')) sent.set(o.c, (sent.get(o.c) ?? 0) + 1);
      const held = new Set(of.filter((o) => o.status === 'uncertain').map((o) => o.c));
      const tally = count(`${channel} in the outbox (sent, or held as uncertain)`, sent);
      tally.uncertain = held.size;
      tally.lost = ids.filter((id) => !sent.has(id) && !held.has(id)).length;
      return { tally, held };
    };
    const email = sentOrHeld('email');
    const webhook = sentOrHeld('webhook');
    const stepRow = count('steps (5 per run)', stepsDone);
    stepRow.done = ids.filter((id) => stepsDone.get(id) === 5).length;
    stepRow.lost = ids.filter((id) => (stepsDone.get(id) ?? 0) < 5).length;
    stepRow.doubled = ids.filter((id) => (steps.get(id) ?? 0) > 1).length;
    const timerRow = count('timers (2 s)', timers);
    timerRow.doubled += early.rows[0]?.n ?? 0;
    const ledgerRow = count('points (ledger entries)', ledger);
    ledgerRow.doubled += balances.rows[0]?.n ?? 0;
    const rows = [
      count('runs completed', runs),
      stepRow,
      timerRow,
      ledgerRow,
      count('tags', tags),
      email.tally,
      webhook.tally,
    ];
    return { rows, held: { email: email.held, webhook: webhook.held } };
  } finally {
    await db.end();
  }
}

/** What the peers received for the accepted customers of all lanes. */
export function tallyPeers(
  customers: string[],
  peers: { record: SoakPeer; webhook: SoakPeer; smtp: SmtpPeer },
  held: { email: Set<string>; webhook: Set<string> },
): Tally[] {
  const byKey = (kind: string, peer: SoakPeer, heldOnes: Set<string>) => {
    const seen = customers.map((c) => ({ c, keys: peer.keys.get(c) ?? new Map<string, number>() }));
    return row(kind, customers.length, {
      done: seen.filter((s) => s.keys.size >= 1).length,
      // Held messages wait for a person: not lost, whether or not the peer had kept them.
      lost: seen.filter((s) => s.keys.size === 0 && !heldOnes.has(s.c)).length,
      doubled: seen.filter((s) => s.keys.size > 1).length,
      repeated: seen.reduce((sum, s) => sum + [...s.keys.values()].reduce((a, n) => a + n - 1, 0), 0),
      uncertain: seen.filter((s) => heldOnes.has(s.c)).length,
    });
  };
  // Mail: one Message-ID per message; a mail for the customer under another id is a real double.
  const mailIds = new Map<string, Map<string, number>>();
  for (const mail of peers.smtp.mails) {
    const to = String((mail.to as { text?: string } | undefined)?.text ?? '');
    const customer = to.replace(/@soak\.example$/, '');
    const ids = mailIds.get(customer) ?? new Map<string, number>();
    ids.set(mail.messageId ?? '', (ids.get(mail.messageId ?? '') ?? 0) + 1);
    mailIds.set(customer, ids);
  }
  const mailPeer: SoakPeer = { url: '', calls: 0, badSignatures: 0, keys: mailIds, close: async () => {} };
  return [
    byKey('test step → HTTP peer (by idempotency key)', peers.record, new Set()),
    byKey('webhook → signed peer (by idempotency key)', peers.webhook, held.webhook),
    byKey('email → SMTP peer (by Message-ID)', mailPeer, held.email),
  ];
}
