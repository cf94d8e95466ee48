import { localParts } from '@tend/plugin-sdk/time';
import type { OrderSource } from '../store/customer-metrics.ts';
import type { PurchasePlan } from '../store/demo-seed.ts';
import type { NewEvent } from '../store/events.ts';
import {
  CATEGORIES,
  CHINESE_GIVEN,
  CHINESE_SURNAMES,
  ENGLISH_FIRST,
  ENGLISH_LAST,
  OWNERS,
  PINYIN,
  REGIONS,
  type Region,
  SOURCES,
} from './people.ts';
import type { seeded } from './random.ts';

type Random = ReturnType<typeof seeded>;

const DAY = 86_400_000;
/** The last days: what happened in them reaches the journeys (see `recent`). */
export const RECENT_DAYS = 3;
/** Share of customers who signed up in the last days: the acquire journey's audience. */
const FRESH = 0.04;
/** Of those, the share who placed their first order since: develop's audience. */
const FRESH_BUYERS = 0.4;
/** Share of customers whose birthday is today, so a first start has someone to greet. */
const BIRTHDAY_TODAY = 0.01;

/** One synthetic customer, in clear text: the seed encrypts what must be. */
export interface Person {
  id: string;
  name: string;
  email: string;
  phone: string;
  /** `YYYY-MM-DD`, and month*100+day for the birthday index. */
  birthday: string;
  birthdayMd: number;
  region: Region;
  owner: string;
  source: string;
  favouriteCategory: string;
  newsletter: boolean;
  consent: { email: boolean; sms: boolean };
  signup: Date;
  /** Purchases before the last days, inserted in bulk as history; null for non-buyers. */
  plan: PurchasePlan | null;
  /** Events of the last days (sign-up, first order), in order: they go to the journeys. */
  recent: NewEvent[];
}

/**
 * A customer of a Chinese- or English-speaking region with contacts, birthday, consent and an
 * owner. Purchases are Poisson with a skewed (gamma) rate over the time since sign-up, amounts
 * log-normal; a quarter of buyers lapsed months ago (the win-back journey's audience). A few
 * signed up in the last days, some of them ordered since: those events are `recent`.
 */
export function syntheticPerson(
  rnd: Random,
  index: number,
  now: Date,
  meanOrders: number,
  orders: OrderSource,
): Person {
  const region = pickRegion(rnd.next());
  const id = `demo-${String(index + 1).padStart(7, '0')}`;
  const [name, handle] = region.chinese && rnd.next() < 0.8 ? chineseName(rnd) : englishName(rnd);
  const email = `${handle}${rnd.int(1, 999)}@${rnd.pick(['example.com', 'example.cn', 'mail.example.org'])}`;
  const phone = `${region.phone}${String(rnd.int(0, 10 ** region.digits - 1)).padStart(region.digits, '0')}`;
  const fresh = rnd.next() < FRESH;
  const signup = fresh
    ? new Date(now.getTime() - rnd.int(10, RECENT_DAYS * 1440) * 60_000)
    : new Date(now.getTime() - rnd.int(RECENT_DAYS + 1, 730) * DAY);
  const source = rnd.pick(SOURCES);
  const person: Person = {
    id,
    name,
    email: email.toLowerCase(),
    phone,
    ...birthdayOf(rnd, region, now),
    region,
    owner: rnd.pick(OWNERS),
    source,
    favouriteCategory: rnd.pick(CATEGORIES),
    newsletter: rnd.next() < 0.15,
    // A fresh sign-up just ticked the box on the form; some older customers withdrew since.
    consent: { email: fresh || rnd.next() < 0.9, sms: rnd.next() < 0.7 },
    signup,
    plan: null,
    recent: [],
  };
  if (fresh) person.recent = freshActivity(rnd, orders, id, signup, source, now);
  else person.plan = purchases(rnd, id, signup, now, meanOrders);
  return person;
}

function birthdayOf(rnd: Random, region: Region, now: Date) {
  let year = rnd.int(1955, 2006);
  let month = rnd.int(1, 12);
  const last = month === 2 ? (year % 4 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  let day = rnd.int(1, last);
  if (rnd.next() < BIRTHDAY_TODAY) {
    const today = localParts(now, region.zone);
    month = today.month;
    day = today.day;
    if (month === 2 && day === 29) year = 2000;
  }
  return { birthday: `${year}-${pad(month)}-${pad(day)}`, birthdayMd: month * 100 + day };
}

/** History up to the last days: a gamma-Poisson count of orders between sign-up and the last one. */
function purchases(rnd: Random, id: string, signup: Date, now: Date, meanOrders: number) {
  const age = now.getTime() - signup.getTime();
  const rate = (rnd.gamma(1.2) / 1.2) * meanOrders * (age / (730 * DAY));
  const orders = rnd.poisson(rate);
  const lapsed = rnd.next() < 0.25;
  const mu = 3.2 + rnd.next() * 1.5;
  if (orders === 0) return null;
  // Lapsed buyers stopped 70–400 days ago (at risk, then churned); the others within a month.
  const lastAgo = Math.min(Math.floor(age / DAY), lapsed ? rnd.int(70, 400) : rnd.int(RECENT_DAYS + 1, 30));
  const to = new Date(now.getTime() - lastAgo * DAY);
  return { id, orders, from: signup.toISOString(), to: to.toISOString(), mu };
}

/** A sign-up in the last days and, for some, the first order since. */
function freshActivity(
  rnd: Random,
  orders: OrderSource,
  id: string,
  signup: Date,
  source: string,
  now: Date,
): NewEvent[] {
  const events: NewEvent[] = [
    {
      id: `${id}:signed-up`,
      customerId: id,
      type: 'customer.signed_up',
      data: { source },
      occurredAt: signup,
    },
  ];
  if (rnd.next() < FRESH_BUYERS) {
    const at = signup.getTime() + rnd.next() * (now.getTime() - signup.getTime());
    const amount = Math.round(Math.exp(3.2 + rnd.next() * 1.5) * 100) / 100;
    events.push({
      id: `${id}:order-1`,
      customerId: id,
      type: orders.event,
      data: { orderNumber: 1, category: rnd.pick(CATEGORIES), [orders.amount]: amount, items: rnd.int(1, 4) },
      occurredAt: new Date(at),
    });
  }
  return events;
}

function pickRegion(u: number): Region {
  let acc = 0;
  for (const region of REGIONS) {
    acc += region.share;
    if (u < acc) return region;
  }
  return REGIONS[0] as Region;
}

function chineseName(rnd: Random): [string, string] {
  const surname = rnd.pick(CHINESE_SURNAMES);
  const given = rnd.pick(CHINESE_GIVEN);
  return [`${surname}${given}`, `${PINYIN[surname] ?? 'li'}.${rnd.int(10, 99)}`];
}

function englishName(rnd: Random): [string, string] {
  const first = rnd.pick(ENGLISH_FIRST);
  const last = rnd.pick(ENGLISH_LAST);
  return [`${first} ${last}`, `${first}.${last}`.toLowerCase()];
}

const pad = (n: number) => String(n).padStart(2, '0');
