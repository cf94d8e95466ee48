import type { KeyRing } from '../privacy/key-ring.ts';
import { indexGrams } from '../privacy/name-grams.ts';
import { countEveryCustomerNext, type OrderSource } from '../store/customer-metrics.ts';
import type { Db } from '../store/db.ts';
import {
  type DemoCustomer,
  insertDemoCustomers,
  insertDemoOrders,
  insertDemoSignups,
} from '../store/demo-seed.ts';
import { writeState } from '../store/engine-state.ts';
import { makeEventMonthsAround } from '../store/event-partitions.ts';
import { insertEvents, type NewEvent } from '../store/events.ts';
import { CATEGORIES } from './people.ts';
import { type Person, syntheticPerson } from './person.ts';
import { seeded } from './random.ts';

const BATCH = 5000;

export interface SeedOptions {
  customers: number;
  seed: number;
  /** The engine's time: histories end here, and the engine's lifecycle pass measures from it. */
  now: Date;
  /** Mean purchases per customer over two years. */
  meanOrders: number;
  /**
   * Hands the last days' events (fresh sign-ups, their first orders) to the journeys, inside the
   * seed's transaction (the CLI: stored and queued for dispatch, as the events API does).
   * Without it they are stored as history like the rest.
   */
  deliver?: (trx: Db, events: NewEvent[]) => Promise<number>;
}

export interface SeedResult {
  customers: number;
  orders: number;
  /** Events of the last days handed to the journeys (or stored, without `deliver`). */
  recent: number;
}

/**
 * A realistic synthetic base (see `syntheticPerson`): customers with names, contacts, time
 * zones, locales, owners, birthdays and consent; their sign-ups and numbered orders as history.
 * The engine's next lifecycle pass scores and stages everyone, which starts retain and win-back;
 * the last days' sign-ups and first orders reach acquire and develop; birthdays start at 09:00.
 */
export async function seedDemo(
  db: Db,
  keys: KeyRing,
  orders: OrderSource,
  opts: SeedOptions,
  progress: (customers: number, orders: number) => void,
): Promise<SeedResult> {
  const rnd = seeded(opts.seed);
  const total: SeedResult = { customers: 0, orders: 0, recent: 0 };
  // The month the history is received in has its partition, not the default one.
  await makeEventMonthsAround(db, opts.now);
  for (let start = 0; start < opts.customers; start += BATCH) {
    const people: Person[] = [];
    for (let i = start; i < Math.min(opts.customers, start + BATCH); i++)
      people.push(syntheticPerson(rnd, i, opts.now, opts.meanOrders, orders));
    await db.transaction().execute(async (trx) => {
      const added = await insertDemoCustomers(
        trx,
        people.map((p) => sealed(keys, p)),
      );
      // Only customers this seed created get a history: seeding twice doubles nothing.
      const mine = people.filter((p) => added.has(p.id));
      // Fresh customers sign up among the recent events instead.
      const signups = mine.filter((p) => p.recent.length === 0);
      await insertDemoSignups(
        trx,
        signups.map((p) => ({ id: p.id, source: p.source, at: p.signup.toISOString() })),
        opts.now,
      );
      const plans = mine.flatMap((p) => (p.plan ? [p.plan] : []));
      total.orders += await insertDemoOrders(trx, orders, plans, CATEGORIES, opts.now);
      const recent = mine.flatMap((p) => p.recent);
      total.recent += opts.deliver
        ? await opts.deliver(trx, recent)
        : (await insertEvents(trx, recent, opts.now)).length;
      total.orders += recent.filter((e) => e.type === orders.event).length;
      total.customers += added.size;
    });
    progress(total.customers, total.orders);
  }
  // The engine recomputes metrics and stages at its next sweep (stage changes start journeys),
  // counting every customer's orders: these were written past the ingest path.
  await countEveryCustomerNext(db);
  await writeState(
    db,
    'lifecycle.recomputed',
    { at: new Date(0).toISOString(), reason: 'demo seed' },
    opts.now,
  );
  return total;
}

/** The stored form: personal fields encrypted, email and phone with their lookup hashes. */
function sealed(keys: KeyRing, p: Person): DemoCustomer {
  const seal = (s: string) => ({
    enc: keys.encrypt(s).toString('base64'),
    hash: keys.lookup(s).toString('base64'),
  });
  const consent = (granted: boolean) => ({
    status: granted ? 'granted' : 'withdrawn',
    source: 'demo seed',
    at: p.signup.toISOString(),
  });
  return {
    id: p.id,
    email: seal(p.email),
    phone: seal(p.phone),
    name: keys.encrypt(p.name).toString('base64'),
    nameGrams: keys.gramHashes(indexGrams(p.name)),
    birthday: keys.encrypt(p.birthday).toString('base64'),
    birthdayMd: p.birthdayMd,
    timezone: p.region.zone,
    locale: p.region.locale,
    owner: p.owner,
    attributes: {
      country: p.region.country,
      favouriteCategory: p.favouriteCategory,
      source: p.source,
    },
    tags: p.newsletter ? ['newsletter'] : [],
    consent: { email: consent(p.consent.email), sms: consent(p.consent.sms) },
    createdAt: p.signup.toISOString(),
  };
}
