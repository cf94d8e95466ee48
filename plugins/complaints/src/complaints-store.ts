import { type Generated, type Insertable, type Kysely, type Selectable, sql } from '@tend/plugin-sdk';

export type ComplaintStatus = 'open' | 'acknowledged' | 'resolved' | 'closed';
export type ComplaintChannel = 'api' | 'form' | 'event' | 'staff';
export type ChangeKind =
  | 'received'
  | 'acknowledged'
  | 'resolved'
  | 'closed'
  | 'reopened'
  | 'overdue'
  | 'escalated'
  | 'rated';
export type Deadline = 'respond' | 'resolve';

/** The complaints plugin's tables (schema plugin_complaints). */
export interface ComplaintsDatabase {
  /** One complaint; its description and resolution are ciphertexts (they are about a person). */
  complaints: {
    id: string;
    /** Makes intake idempotent: the form's ticket, the API's Idempotency-Key, the step's key. */
    key: string;
    customer_id: string;
    channel: ComplaintChannel;
    category: string;
    severity: string;
    description_enc: Buffer;
    /** Links to photos or files the customer gave (kept as given; erased with the customer). */
    attachments: string[];
    store: string | null;
    owner: string;
    /** 0 while its owner has it; 1, 2… after each escalation. */
    level: number;
    status: ComplaintStatus;
    received_at: Date;
    respond_by: Date;
    resolve_by: Date;
    acknowledged_at: Date | null;
    resolved_at: Date | null;
    closed_at: Date | null;
    response_breached_at: Date | null;
    resolution_breached_at: Date | null;
    resolution_enc: Buffer | null;
    reopened: number;
    /** The customer's CSAT score given after resolution (from the journey). */
    csat: number | null;
  };
  /** Every change of a complaint: who, when, what, and the note (ciphertext). */
  complaint_changes: {
    id: string;
    seq: Generated<string>;
    complaint_id: string;
    customer_id: string;
    at: Date;
    by: string;
    kind: ChangeKind;
    detail: Record<string, unknown>;
    note_enc: Buffer | null;
  };
}

export type ComplaintRow = Selectable<ComplaintsDatabase['complaints']>;
export type ChangeRow = Selectable<ComplaintsDatabase['complaint_changes']>;
type Db = Kysely<ComplaintsDatabase>;
type NewChange = Omit<Insertable<ComplaintsDatabase['complaint_changes']>, 'complaint_id' | 'customer_id'>;

/** Stores a complaint once per key and customer (with its `received` change); the stored one and whether it is new. */
export async function createComplaint(
  db: Db,
  row: Insertable<ComplaintsDatabase['complaints']>,
  by: string,
): Promise<{ row: ComplaintRow; created: boolean }> {
  return db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('complaints')
      .values({ ...row, attachments: sql`${JSON.stringify(row.attachments)}::jsonb` as never })
      .onConflict((oc) => oc.columns(['key', 'customer_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) {
      const stored = await tx
        .selectFrom('complaints')
        .selectAll()
        .where('key', '=', row.key)
        .where('customer_id', '=', row.customer_id)
        .executeTakeFirstOrThrow();
      return { row: stored, created: false };
    }
    await tx
      .insertInto('complaint_changes')
      .values({
        id: `${inserted.id}:received`,
        complaint_id: inserted.id,
        customer_id: inserted.customer_id,
        at: inserted.received_at,
        by,
        kind: 'received',
        detail:
          sql`${JSON.stringify({ owner: inserted.owner, severity: inserted.severity })}::jsonb` as never,
        note_enc: null,
      })
      .execute();
    return { row: inserted, created: true };
  });
}

export async function getComplaint(db: Db, id: string): Promise<ComplaintRow | null> {
  return (await db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** A customer's complaint of this key (keys are unique per customer). */
export async function complaintByKey(db: Db, customerId: string, key: string): Promise<ComplaintRow | null> {
  return (
    (await db
      .selectFrom('complaints')
      .selectAll()
      .where('key', '=', key)
      .where('customer_id', '=', customerId)
      .executeTakeFirst()) ?? null
  );
}

export async function changesOf(db: Db, id: string): Promise<ChangeRow[]> {
  return db
    .selectFrom('complaint_changes')
    .selectAll()
    .where('complaint_id', '=', id)
    .orderBy('at')
    .orderBy('seq')
    .execute();
}

/** Which statuses each move starts from, and what it sets. */
const MOVES = {
  acknowledge: { from: ['open'], to: 'acknowledged' },
  resolve: { from: ['open', 'acknowledged'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  reopen: { from: ['resolved', 'closed'], to: 'open' },
} as const satisfies Record<string, { from: ComplaintStatus[]; to: ComplaintStatus }>;
export type Move = keyof typeof MOVES;

/**
 * Moves a complaint on and records the change, in one transaction; null when it is not in a
 * status the move starts from. Resolving also counts as the first response; reopening gives
 * the complaint a new resolution deadline (`resolveBy`).
 */
export async function moveComplaint(
  db: Db,
  id: string,
  move: Move,
  change: { changeId: string; by: string; at: Date; note: Buffer | null; resolveBy?: Date },
): Promise<{ row: ComplaintRow; change: ChangeRow } | null> {
  const { from, to } = MOVES[move];
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('complaints')
      .set((eb) => ({
        status: to,
        ...(move === 'acknowledge' || move === 'resolve'
          ? { acknowledged_at: eb.fn.coalesce('acknowledged_at', eb.val(change.at)) }
          : {}),
        ...(move === 'resolve' ? { resolved_at: change.at, resolution_enc: change.note } : {}),
        ...(move === 'close' ? { closed_at: change.at } : {}),
        ...(move === 'reopen'
          ? {
              resolved_at: null,
              closed_at: null,
              resolution_breached_at: null,
              reopened: eb('reopened', '+', 1),
              resolve_by: change.resolveBy ?? change.at,
            }
          : {}),
      }))
      .where('id', '=', id)
      .where('status', 'in', [...from])
      .returningAll()
      .executeTakeFirst();
    if (!row) return null;
    const kind = `${to === 'open' ? 'reopened' : to}` as ChangeKind;
    const stored = await tx
      .insertInto('complaint_changes')
      .values({
        id: change.changeId,
        complaint_id: id,
        customer_id: row.customer_id,
        at: change.at,
        by: change.by,
        kind,
        detail: sql`'{}'::jsonb` as never,
        note_enc: change.note,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { row, change: stored };
  });
}

/** Hands a complaint to the next level, once per change id; null when that change was made already. */
export async function escalateComplaint(
  db: Db,
  id: string,
  to: { owner: string; level: number },
  change: NewChange,
): Promise<ComplaintRow | null> {
  return db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('complaints')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return null;
    const added = await tx
      .insertInto('complaint_changes')
      .values({ ...change, complaint_id: id, customer_id: before.customer_id })
      .onConflict((oc) => oc.columns(['id', 'customer_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!added) return null;
    return tx
      .updateTable('complaints')
      .set({ owner: to.owner, level: to.level })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** Records the customer's CSAT after resolution (the last one given counts). */
export async function rateComplaint(
  db: Db,
  id: string,
  score: number,
  change: NewChange,
): Promise<ComplaintRow | null> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('complaints')
      .set({ csat: score })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) return null;
    await tx
      .insertInto('complaint_changes')
      .values({ ...change, complaint_id: id, customer_id: row.customer_id })
      .onConflict((oc) => oc.columns(['id', 'customer_id']).doNothing())
      .execute();
    return row;
  });
}

/** Open complaints with a deadline passed and not yet marked: what the deadline watch raises. */
export async function lateComplaints(
  db: Db,
  now: Date,
  limit: number,
): Promise<{ row: ComplaintRow; deadline: Deadline }[]> {
  const rows = await db
    .selectFrom('complaints')
    .selectAll()
    .where('status', 'in', ['open', 'acknowledged'])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('acknowledged_at', 'is', null),
          eb('response_breached_at', 'is', null),
          eb('respond_by', '<=', now),
        ]),
        eb.and([eb('resolution_breached_at', 'is', null), eb('resolve_by', '<=', now)]),
      ]),
    )
    .orderBy('respond_by')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    row,
    deadline:
      row.acknowledged_at === null && row.response_breached_at === null && row.respond_by <= now
        ? 'respond'
        : 'resolve',
  }));
}

/** Marks a deadline as missed (with its change); false when it was marked already. */
export async function markBreach(db: Db, row: ComplaintRow, deadline: Deadline, at: Date): Promise<boolean> {
  const column = deadline === 'respond' ? 'response_breached_at' : 'resolution_breached_at';
  return db.transaction().execute(async (tx) => {
    const done = await tx
      .updateTable('complaints')
      .set({ [column]: at })
      .where('id', '=', row.id)
      .where(column, 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!done) return false;
    await tx
      .insertInto('complaint_changes')
      .values({
        id: `${row.id}:overdue:${deadline}:${row.reopened}`,
        complaint_id: row.id,
        customer_id: row.customer_id,
        at,
        by: 'deadline',
        kind: 'overdue',
        detail: sql`${JSON.stringify({ deadline, owner: row.owner, level: row.level })}::jsonb` as never,
        note_enc: null,
      })
      .onConflict((oc) => oc.columns(['id', 'customer_id']).doNothing())
      .execute();
    return true;
  });
}

export interface ComplaintFilter {
  status?: ComplaintStatus[];
  owners?: string[];
  customer?: string;
  category?: string;
  /** Only those with a deadline missed. */
  breached?: boolean;
  /** The last complaint of the previous page (newest first). */
  after?: { at: Date; id: string };
  limit: number;
}

export async function listComplaints(db: Db, f: ComplaintFilter): Promise<ComplaintRow[]> {
  return db
    .selectFrom('complaints')
    .selectAll()
    .$if(f.status !== undefined, (q) => q.where('status', 'in', f.status as ComplaintStatus[]))
    .$if(f.owners !== undefined, (q) =>
      // SQL has no empty IN list: no owners, no complaints.
      (f.owners as string[]).length > 0
        ? q.where('owner', 'in', f.owners as string[])
        : q.where(sql<boolean>`false`),
    )
    .$if(f.customer !== undefined, (q) => q.where('customer_id', '=', f.customer as string))
    .$if(f.category !== undefined, (q) => q.where('category', '=', f.category as string))
    .$if(f.breached === true, (q) =>
      q.where((eb) =>
        eb.or([eb('response_breached_at', 'is not', null), eb('resolution_breached_at', 'is not', null)]),
      ),
    )
    .$if(f.after !== undefined, (q) => {
      const after = f.after as NonNullable<ComplaintFilter['after']>;
      return q.where(sql<boolean>`(received_at, id) < (${after.at}, ${after.id}::uuid)`);
    })
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit)
    .execute();
}

export async function complaintsOf(db: Db, customerId: string, limit: number): Promise<ComplaintRow[]> {
  return listComplaints(db, { customer: customerId, limit });
}

/** How many complaints a customer filed through the form since `since` (the form's daily limit). */
export async function countFiledSince(db: Db, customerId: string, since: Date): Promise<number> {
  const r = await db
    .selectFrom('complaints')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('customer_id', '=', customerId)
    .where('channel', '=', 'form')
    .where('received_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** One group's figures for the analysis: counts, breaches, median hours to respond and resolve, CSAT. */
export interface ComplaintFigures {
  key: string;
  total: number;
  open: number;
  breached: number;
  respondHours: number | null;
  resolveHours: number | null;
  csat: number | null;
  rated: number;
}

/** How complaints are grouped: a column, or the owner's team (owner → team from the policy). */
export type FiguresBy = 'category' | 'owner' | 'store' | { teams: Map<string, string> } | null;

/** Complaints received since `since`, grouped by category, owner, store or team (null: all together). */
export async function complaintFigures(db: Db, since: Date, by: FiguresBy): Promise<ComplaintFigures[]> {
  const key =
    by === null
      ? sql<string>`'all'`
      : typeof by === 'string'
        ? sql<string>`coalesce(${sql.ref(by)}, '')`
        : sql<string>`coalesce((SELECT m.team FROM unnest(${[...by.teams.keys()]}::text[], ${[...by.teams.values()]}::text[]) AS m(owner, team) WHERE m.owner = complaints.owner LIMIT 1), '')`;
  const rows = await db
    .selectFrom('complaints')
    .select([
      key.as('key'),
      sql<string>`count(*)`.as('total'),
      sql<string>`count(*) FILTER (WHERE status IN ('open', 'acknowledged'))`.as('open'),
      sql<string>`count(*) FILTER (WHERE response_breached_at IS NOT NULL OR resolution_breached_at IS NOT NULL)`.as(
        'breached',
      ),
      sql<
        number | null
      >`percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - received_at) / 3600) FILTER (WHERE acknowledged_at IS NOT NULL)`.as(
        'respond_hours',
      ),
      sql<
        number | null
      >`percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - received_at) / 3600) FILTER (WHERE resolved_at IS NOT NULL)`.as(
        'resolve_hours',
      ),
      sql<number | null>`avg(csat)::float8`.as('csat'),
      sql<string>`count(csat)`.as('rated'),
    ])
    .where('received_at', '>=', since)
    .groupBy(sql`1`)
    .orderBy(sql`count(*)`, 'desc')
    .orderBy(sql`1`)
    .execute();
  return rows.map((r) => ({
    key: r.key,
    total: Number(r.total),
    open: Number(r.open),
    breached: Number(r.breached),
    respondHours: r.respond_hours === null ? null : Number(r.respond_hours),
    resolveHours: r.resolve_hours === null ? null : Number(r.resolve_hours),
    csat: r.csat === null ? null : Number(r.csat),
    rated: Number(r.rated),
  }));
}

/** Erasure: a customer's complaints keep their figures but lose every word and link. */
export async function eraseComplaints(db: Db, from: string, to: string, erased: Buffer): Promise<void> {
  await db
    .updateTable('complaints')
    .set({
      customer_id: to,
      description_enc: erased,
      resolution_enc: null,
      attachments: sql`'[]'::jsonb` as never,
    })
    .where('customer_id', '=', from)
    .execute();
  await db
    .updateTable('complaint_changes')
    .set({ customer_id: to, note_enc: null })
    .where('customer_id', '=', from)
    .execute();
}

export const MIGRATIONS = [
  {
    name: '2026-12-07-01-complaints',
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE complaints (
          id uuid PRIMARY KEY,
          key text NOT NULL UNIQUE,
          customer_id text NOT NULL,
          channel text NOT NULL,
          category text NOT NULL,
          severity text NOT NULL,
          description_enc bytea NOT NULL,
          attachments jsonb NOT NULL DEFAULT '[]',
          store text,
          owner text NOT NULL,
          level int NOT NULL DEFAULT 0,
          status text NOT NULL,
          received_at timestamptz NOT NULL,
          respond_by timestamptz NOT NULL,
          resolve_by timestamptz NOT NULL,
          acknowledged_at timestamptz,
          resolved_at timestamptz,
          closed_at timestamptz,
          response_breached_at timestamptz,
          resolution_breached_at timestamptz,
          resolution_enc bytea,
          reopened int NOT NULL DEFAULT 0,
          csat int
        );
        CREATE INDEX complaints_customer ON complaints (customer_id, received_at DESC);
        CREATE INDEX complaints_owner ON complaints (owner, status, received_at DESC);
        CREATE INDEX complaints_received ON complaints (received_at DESC, id DESC);
        -- The deadline watch reads the complaints still in hand only.
        CREATE INDEX complaints_in_hand ON complaints (respond_by, resolve_by) WHERE status IN ('open', 'acknowledged');
        CREATE TABLE complaint_changes (
          id text PRIMARY KEY,
          -- Orders changes made at the same instant (a test clock, a burst) as they were made.
          seq bigint GENERATED ALWAYS AS IDENTITY,
          complaint_id uuid NOT NULL REFERENCES complaints (id),
          customer_id text NOT NULL,
          at timestamptz NOT NULL,
          by text NOT NULL,
          kind text NOT NULL,
          detail jsonb NOT NULL DEFAULT '{}',
          note_enc bytea
        );
        CREATE INDEX complaint_changes_complaint ON complaint_changes (complaint_id, at);
        CREATE INDEX complaint_changes_customer ON complaint_changes (customer_id);
      `.execute(db);
    },
  },
  {
    name: '2026-12-09-02-customer-keys',
    /**
     * Every key names the customer, so both tables can be distributed by customer and kept
     * together (docs/scaling.md). Ids still lead their keys (complaints are found by id alone). A
     * key seen before for another customer now makes that customer's own complaint instead of
     * answering someone else's. A change's reference to its complaint is checked at commit: an
     * erasure renames the customer of both in one transaction, one table after the other.
     */
    async up(db: Kysely<unknown>) {
      await sql`
        ALTER TABLE complaint_changes DROP CONSTRAINT complaint_changes_complaint_id_fkey,
          DROP CONSTRAINT complaint_changes_pkey;
        ALTER TABLE complaints DROP CONSTRAINT complaints_pkey, DROP CONSTRAINT complaints_key_key;
        ALTER TABLE complaints ADD PRIMARY KEY (id, customer_id),
          ADD CONSTRAINT complaints_key UNIQUE (key, customer_id);
        ALTER TABLE complaint_changes ADD PRIMARY KEY (id, customer_id),
          ADD CONSTRAINT complaint_changes_complaint FOREIGN KEY (complaint_id, customer_id)
            REFERENCES complaints (id, customer_id) DEFERRABLE INITIALLY DEFERRED;
      `.execute(db);
    },
  },
];
