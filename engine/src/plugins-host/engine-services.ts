import type {
  CryptoService,
  CustomerService,
  EventService,
  LinkService,
  OutboxService,
  PeopleService,
} from '@tend/plugin-sdk';
import type { PgBoss } from 'pg-boss';
import type { CustomerCodec } from '../customers/codec.ts';
import type { EngineMetrics } from '../observability/metrics.ts';
import { getCustomerRow, lockCustomers, setConsent, setFacet, upsertCustomers } from '../store/customers.ts';
import type { Db } from '../store/db.ts';
import { ingestEvents } from '../store/ingest.ts';
import { displayNames } from '../store/users.ts';
import { countedOutbox } from './counted-outbox.ts';
import type { CustomerChanges } from './customer-changes.ts';
import { linkSigner } from './link-signer.ts';
import { outboxService } from './outbox-service.ts';

export interface EngineServiceDeps {
  db: Db;
  boss: PgBoss;
  codec: CustomerCodec;
  /** Signs links customers follow: TEND_LINK_SECRET, else derived from the encryption key. */
  linkSecret: string | null;
  sendConcurrency: number;
  now: () => Date;
  /** Told of every customer a plugin changes, so the runtime reads them again. */
  changes: CustomerChanges;
  metrics: EngineMetrics;
}

/** What every plugin shares of the engine (a plugin's own facet is bound per plugin). */
export interface EngineServices {
  customers: Omit<CustomerService, 'setFacet'> & {
    setFacet(id: string, facet: string, value: Record<string, unknown> | null): Promise<void>;
  };
  people: PeopleService;
  events: EventService;
  outbox: OutboxService;
  links: LinkService;
  crypto: CryptoService;
}

/** The engine's side of the plugin SDK's services, over the store. */
export function createEngineServices(deps: EngineServiceDeps): EngineServices {
  const { db, codec } = deps;
  const keys = codec.keys;
  // Without TEND_LINK_SECRET, a key derived from the encryption key (an HMAC of a fixed label).
  const linkSecret = deps.linkSecret ? Buffer.from(deps.linkSecret) : keys.lookup('tend link signing');
  return {
    customers: {
      async get(id) {
        const row = await getCustomerRow(db, id);
        return row ? codec.view(row) : null;
      },
      async tag(id, add, remove) {
        deps.changes.mark(id);
        return db.transaction().execute(async (trx) => {
          await upsertCustomers(trx, [{ id }], deps.now());
          const row = (await lockCustomers(trx, [id])).get(id);
          const before = row?.tags ?? [];
          const tags = [...new Set([...before.filter((t) => !remove.includes(t)), ...add])];
          await upsertCustomers(trx, [{ id, tags }], deps.now());
          return {
            tags,
            added: tags.filter((t) => !before.includes(t)),
            removed: before.filter((t) => !tags.includes(t)),
          };
        });
      },
      async setAttributes(id, values) {
        deps.changes.mark(id);
        await upsertCustomers(db, [{ id, attributes: values }], deps.now());
      },
      async setConsent(id, channel, status, source) {
        deps.changes.mark(id);
        const now = deps.now();
        await setConsent(db, id, channel, { status, source, at: now.toISOString() }, now);
      },
      async setFacet(id, facet, value) {
        deps.changes.mark(id);
        await setFacet(db, id, facet, value, deps.now());
      },
    },
    people: { names: (refs) => displayNames(db, refs) },
    events: {
      async emit(events) {
        const r = await ingestEvents(db, deps.boss, events, deps.now());
        deps.metrics.eventsIngested.inc({ source: 'plugin' }, r.accepted);
      },
    },
    links: linkSigner(linkSecret),
    outbox: countedOutbox(outboxService(db, keys, deps.sendConcurrency, deps.now), deps.metrics),
    crypto: { encrypt: (text) => keys.encrypt(text), decrypt: (sealed) => keys.decrypt(sealed) },
  };
}
