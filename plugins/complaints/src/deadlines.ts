import type { BackgroundContext } from '@tend/plugin-sdk';
import { announce } from './announce.ts';
import { lateComplaints, markBreach } from './complaints-store.ts';

const BATCH = 100;

/**
 * Raises `complaint.overdue` {deadline: respond|resolve} once per missed deadline of a complaint
 * still in hand. The event goes first and the mark after: a crash between them sends the same
 * event again (same id: once), never a mark without its event.
 */
export async function watchDeadlines(ctx: BackgroundContext): Promise<void> {
  const services = ctx.services;
  for (;;) {
    const late = await lateComplaints(services.db, ctx.now, BATCH);
    for (const { row, deadline } of late) {
      await announce(services, row, 'complaint.overdue', `${row.id}:${deadline}:${row.reopened}`, {
        deadline,
      });
      await markBreach(services.db, row, deadline, ctx.now);
    }
    if (late.length < BATCH || ctx.signal.aborted) return;
  }
}
