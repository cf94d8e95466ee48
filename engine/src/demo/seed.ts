import type { KeyRing } from '../privacy/key-ring.ts';
import type { OrderSource } from '../store/customer-metrics.ts';
import type { Db } from '../store/db.ts';
import {
  type DemoCustomer,
  insertDemoCustomers,
  insertDemoOrders,
  type PurchasePlan,
} from '../store/demo-seed.ts';
import { writeState } from '../store/engine-state.ts';
import {
  CATEGORIES,
  CHINESE_GIVEN,
  CHINESE_SURNAMES,
  ENGLISH_FIRST,
  ENGLISH_LAST,
  OWNERS,
  PINYIN,
  REGIONS,
} from './people.ts';
import { seeded } from './random.ts';

const DAY = 86_400_000;
const BATCH = 5000;

export interface SeedOptions {
  customers: number;
  seed: number;
  now: Date;
  /** Mean purchases per customer over two years. */
  meanOrders: number;
}

/**
 * A realistic synthetic base: customers across Chinese- and English-speaking regions with names,
 * contacts, birthdays and consent; purchases that are Poisson per customer with a skewed (gamma)
 * rate and log-normal amounts; a quarter of buyers lapsed for months. Orders go in as history;
 * the engine's next lifecycle pass scores everyone and starts journeys from there.
 */
export async function seedDemo(
  db: Db,
  keys: KeyRing,
  orders: OrderSource,
  opts: SeedOptions,
  progress: (customers: number, orders: number) => void,
): Promise<{ customers: number; orders: number }> {
  const rnd = seeded(opts.seed);
  let customers = 0;
  let orderCount = 0;
  for (let start = 0; start < opts.customers; start += BATCH) {
    const people: DemoCustomer[] = [];
    const plans: PurchasePlan[] = [];
    for (let i = start; i < Math.min(opts.customers, start + BATCH); i++) {
      const region = pickRegion(rnd.next());
      const id = `demo-${String(i + 1).padStart(7, '0')}`;
      const [name, handle] = region.chinese && rnd.next() < 0.8 ? chineseName(rnd) : englishName(rnd);
      const email = `${handle}${rnd.int(1, 999)}@${rnd.pick(['example.com', 'example.cn', 'mail.example.org'])}`;
      const phone = `${region.phone}${String(rnd.int(0, 99_999_999)).padStart(8, '0')}`.replace(/\s/g, '');
      const signup = new Date(opts.now.getTime() - rnd.int(1, 730) * DAY);
      const year = rnd.int(1955, 2006);
      const month = rnd.int(1, 12);
      const day = rnd.int(
        1,
        month === 2 ? (year % 4 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31,
      );
      const birthday = `${year}-${pad(month)}-${pad(day)}`;
      const seal = (s: string) => ({
        enc: keys.encrypt(s).toString('base64'),
        hash: keys.lookup(s).toString('base64'),
      });
      people.push({
        id,
        email: seal(email.toLowerCase()),
        phone: seal(phone),
        name: keys.encrypt(name).toString('base64'),
        birthday: keys.encrypt(birthday).toString('base64'),
        birthdayMd: month * 100 + day,
        timezone: region.zone,
        locale: region.locale,
        owner: rnd.pick(OWNERS),
        attributes: {
          country: region.country,
          favouriteCategory: rnd.pick(CATEGORIES),
          source: rnd.pick(['web', 'store', 'wechat', 'referral']),
        },
        tags: rnd.next() < 0.15 ? ['newsletter'] : [],
        consent: {
          email: {
            status: rnd.next() < 0.85 ? 'granted' : 'withdrawn',
            source: 'demo seed',
            at: signup.toISOString(),
          },
          sms: {
            status: rnd.next() < 0.6 ? 'granted' : 'withdrawn',
            source: 'demo seed',
            at: signup.toISOString(),
          },
        },
        createdAt: signup.toISOString(),
      });
      // Purchase rate: gamma-distributed (a few heavy buyers, many occasional ones).
      const rate =
        (rnd.gamma(1.2) / 1.2) * opts.meanOrders * ((opts.now.getTime() - signup.getTime()) / (730 * DAY));
      const n = rnd.poisson(rate);
      if (n > 0) {
        const lapsed = rnd.next() < 0.25;
        const to = lapsed
          ? opts.now.getTime() - rnd.int(120, 400) * DAY
          : opts.now.getTime() - rnd.int(0, 20) * DAY;
        const from = Math.min(signup.getTime(), to - DAY);
        plans.push({
          id,
          orders: n,
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          mu: 3.2 + rnd.next() * 1.5,
        });
      }
    }
    await db.transaction().execute(async (trx) => {
      customers += await insertDemoCustomers(trx, people);
      orderCount += await insertDemoOrders(trx, orders, plans, CATEGORIES);
    });
    progress(customers, orderCount);
  }
  // The engine recomputes metrics and stages at its next sweep (stage changes start journeys).
  await writeState(db, 'lifecycle.recomputed', { at: new Date(0).toISOString(), reason: 'demo seed' });
  return { customers, orders: orderCount };
}

function pickRegion(u: number) {
  let acc = 0;
  for (const region of REGIONS) {
    acc += region.share;
    if (u < acc) return region;
  }
  return REGIONS[0] as (typeof REGIONS)[number];
}

function chineseName(rnd: ReturnType<typeof seeded>): [string, string] {
  const surname = rnd.pick(CHINESE_SURNAMES);
  const given = rnd.pick(CHINESE_GIVEN);
  return [`${surname}${given}`, `${PINYIN[surname] ?? 'li'}.${rnd.int(10, 99)}`];
}

function englishName(rnd: ReturnType<typeof seeded>): [string, string] {
  const first = rnd.pick(ENGLISH_FIRST);
  const last = rnd.pick(ENGLISH_LAST);
  return [`${first} ${last}`, `${first}.${last}`.toLowerCase()];
}

const pad = (n: number) => String(n).padStart(2, '0');
