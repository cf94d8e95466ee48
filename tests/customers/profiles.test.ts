import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

let engine: TestEngine;
let db: pg.Client;
beforeAll(async () => {
  engine = await startTestEngine({}, { workers: false });
  db = new pg.Client({ connectionString: engine.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await engine?.stop();
});

describe('customer profiles', () => {
  it('stores a full profile, reads it back, and keeps email, phone, name and birthday encrypted', async () => {
    const put = await engine.api('PUT', '/api/customers/cust-1', {
      email: ' Li.Wei@Example.CN ',
      phone: '+86 138-0013-8000',
      name: '李伟',
      birthday: '1990-02-28',
      timezone: 'Asia/Shanghai',
      locale: 'zh-cn',
      owner: 'sales-amy',
      attributes: { city: 'Hangzhou', vip: true },
      tags: ['lead', 'lead', 'wechat'],
      consent: { email: 'granted', sms: { status: 'withdrawn', source: 'call centre' } },
    });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({
      id: 'cust-1',
      email: 'li.wei@example.cn',
      phone: '+8613800138000',
      name: '李伟',
      birthday: '1990-02-28',
      locale: 'zh-CN',
      owner: 'sales-amy',
      tags: ['lead', 'wechat'],
      consent: {
        email: { status: 'granted', source: 'api' },
        sms: { status: 'withdrawn', source: 'call centre' },
      },
    });
    const raw = await db.query(`SELECT * FROM customers WHERE id = 'cust-1'`);
    const text = JSON.stringify(raw.rows[0], (_k, v) =>
      v?.type === 'Buffer' ? Buffer.from(v.data).toString('latin1') : v,
    );
    for (const secret of ['li.wei', 'example.cn', '13800138000', '李伟', '1990-02-28'])
      expect(text).not.toContain(secret);
    expect(raw.rows[0].birthday_md).toBe(228);
  });

  it('finds a customer by email or phone in any spelling', async () => {
    const byEmail = await engine.api('GET', '/api/customers?email=LI.WEI@example.cn');
    expect(byEmail.body.customers.map((c: { id: string }) => c.id)).toEqual(['cust-1']);
    const byPhone = await engine.api('GET', `/api/customers?phone=${encodeURIComponent('+86 13800138000')}`);
    expect(byPhone.body.customers.map((c: { id: string }) => c.id)).toEqual(['cust-1']);
    const nobody = await engine.api('GET', '/api/customers?email=nobody@example.cn');
    expect(nobody.body.customers).toEqual([]);
  });

  it('merges later changes: attributes key by key, consent channel by channel; null clears', async () => {
    const put = await engine.api('PUT', '/api/customers/cust-1', {
      attributes: { city: 'Shanghai' },
      consent: { sms: 'granted' },
      name: null,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      email: 'li.wei@example.cn',
      name: null,
      attributes: { city: 'Shanghai', vip: true },
      consent: { email: { status: 'granted' }, sms: { status: 'granted', source: 'api' } },
    });
  });

  it('refuses bad values with a message and stores nothing', async () => {
    const r = await engine.api('PUT', '/api/customers/cust-2', {
      email: 'nope',
      birthday: '2001-02-29',
      timezone: 'Moon/Base',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/not an email address.*not a date.*not an IANA time zone/);
    expect((await engine.api('GET', '/api/customers/cust-2')).status).toBe(404);
  });

  it('upserts in bulk, all or nothing, and lists with filters and pagination', async () => {
    const bad = await engine.api('POST', '/api/customers/batch', [
      { id: 'b-1', email: 'b1@example.com' },
      { id: 'b-2', phone: 'xx' },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/\[1\] b-2: phone/);
    expect((await engine.api('GET', '/api/customers/b-1')).status).toBe(404);
    const batch = Array.from({ length: 250 }, (_, i) => ({
      id: `b-${String(i).padStart(3, '0')}`,
      email: `b${i}@example.com`,
      owner: i % 2 ? 'amy' : 'bo',
      tags: ['imported'],
    }));
    const ok = await engine.api('POST', '/api/customers/batch', batch);
    expect(ok.body).toEqual({ created: 250, updated: 0 });
    const page1 = await engine.api('GET', '/api/customers?owner=amy&limit=100');
    expect(page1.body.customers).toHaveLength(100);
    const page2 = await engine.api('GET', `/api/customers?owner=amy&limit=100&after=${page1.body.next}`);
    expect(page2.body.customers).toHaveLength(25);
    expect(page2.body.next).toBeNull();
    expect((await engine.api('GET', '/api/customers?tag=imported&limit=1000')).body.customers).toHaveLength(
      250,
    );
  });

  it('records who changed which customer, without the values', async () => {
    const rows = await db.query(
      `SELECT actor, action, entity, entity_id, detail FROM audit_log WHERE entity_id = 'cust-1' ORDER BY id`,
    );
    expect(rows.rows.map((r) => r.action)).toEqual(['create', 'update']);
    expect(rows.rows[0]).toMatchObject({ actor: 'bootstrap', entity: 'customer' });
    expect(JSON.stringify(rows.rows)).not.toContain('example.cn');
  });
});
