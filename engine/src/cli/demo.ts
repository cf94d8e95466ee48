import path from 'node:path';
import { systemClock } from '../clock.ts';
import type { Config } from '../config.ts';
import { seedDemo } from '../demo/seed.ts';
import { loadLifecycle } from '../lifecycle/config.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from '../postgres/connect.ts';
import { loadKeyRing } from '../privacy/load-keys.ts';
import { createBoss, ensureQueues } from '../queue/boss.ts';
import { createDb } from '../store/db.ts';
import { storeEvents } from '../store/ingest.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { progressBar } from './progress.ts';

/** `tend demo seed [--customers N] [--seed S]`: a realistic synthetic customer base. */
export async function runDemo(config: Config, args: string[]): Promise<number> {
  if (args[0] !== 'seed') {
    process.stderr.write('usage: tend demo seed [--customers N] [--seed S] [--orders MEAN]\n');
    return 2;
  }
  const customers = number(args, '--customers', 500);
  const seed = number(args, '--seed', 42);
  const meanOrders = number(args, '--orders', 5);
  if (customers === null || seed === null || meanOrders === null) return 2;
  const log = createLogger(config.logLevel, config.logFormat);
  const lifecycle = await loadLifecycle(path.join(config.workflowsDir, 'lifecycle.yaml'));
  if (!lifecycle.ok) {
    process.stderr.write(`the lifecycle file is invalid: ${lifecycle.issues[0]?.message}\n`);
    return 1;
  }
  const database = await openDatabase(config, log);
  const { db } = createDb(database.url, { max: 4 });
  // The queue, so the last days' events are dispatched to journeys like any event that arrives.
  const boss = createBoss(database.url, log.child('queue'));
  try {
    await migrateToLatest(db);
    await boss.start();
    await ensureQueues(boss, config);
    const keys = await loadKeyRing(config, log);
    const bar = progressBar('seeding customers', customers);
    const started = performance.now();
    // The engine's clock (with TEND_CLOCK_OFFSET): the engine measures recency and stages from it.
    const now = systemClock(config.clockOffsetMs)();
    const result = await seedDemo(
      db,
      keys,
      lifecycle.config.orders,
      {
        customers,
        seed,
        meanOrders,
        now,
        deliver: (trx, events) => storeEvents(trx, boss, events, now),
      },
      (n) => bar.update(n),
    );
    bar.done(result.customers);
    process.stdout.write(
      `seeded ${result.customers.toLocaleString('en')} customers and ${result.orders.toLocaleString('en')} orders in ${((performance.now() - started) / 1000).toFixed(1)} s\n` +
        'a running engine (or the next `tend start`) scores them and decides their lifecycle stages within a second,\n' +
        "which starts retain for active customers and win-back for those at risk; the last days' sign-ups and\n" +
        `first orders (${result.recent.toLocaleString('en')} events) start acquire and develop; birthdays are greeted at 09:00 local time.\n`,
    );
    return 0;
  } finally {
    await boss.stop({ graceful: false }).catch(() => {});
    await db.destroy();
    await database.close();
  }
}

function number(args: string[], flag: string, fallback: number): number | null {
  const i = args.indexOf(flag);
  if (i < 0) return fallback;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`${flag} takes a whole number\n`);
    return null;
  }
  return n;
}
