import type { Db } from './db.ts';

/** Runs as people list them (the API's runs and a customer's runs), newest first. */
export interface RunFilter {
  workflow?: string;
  customer?: string;
  status?: string;
  state?: string;
  limit: number;
  before?: string;
}

export async function listRuns(db: Db, f: RunFilter) {
  return db
    .selectFrom('runs')
    .select([
      'id',
      'workflow_id',
      'version',
      'customer_id',
      'key',
      'status',
      'state',
      'phase',
      'outcome',
      'started_at',
      'updated_at',
      'ended_at',
    ])
    .$if(f.workflow !== undefined, (q) => q.where('workflow_id', '=', f.workflow as string))
    .$if(f.customer !== undefined, (q) => q.where('customer_id', '=', f.customer as string))
    .$if(f.status !== undefined, (q) => q.where('status', '=', f.status as string))
    .$if(f.state !== undefined, (q) => q.where('state', '=', f.state as string))
    .$if(f.before !== undefined, (q) => q.where('started_at', '<', new Date(f.before as string)))
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(f.limit)
    .execute();
}

export async function getRun(db: Db, id: string) {
  return db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
}
