import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { HILLSIDE_BRAND, publish, send, setBrand, waitForRun } from '../support/journeys.ts';
import { rawHeader, type SmtpPeer, startSmtpPeer } from '../support/smtp-peer.ts';

let smtp: SmtpPeer;
let engine: TestEngine;

const journey = `
id: hello-mail
name: Hello mail
trigger: { event: hello.start }
entry: { reenter: always }
start: mail
states:
  mail:
    steps:
      - id: mail
        uses: messaging.send
        with: { channel: email, template: welcome }
    end: done
`;

beforeAll(async () => {
  smtp = await startSmtpPeer();
  engine = await startTestEngine({ SMTP_URL: smtp.url, TEND_MAIL_FROM: 'Tend <hello@hillside.example>' });
  await publish(engine, journey);
  await setBrand(engine);
});
afterAll(async () => {
  await engine?.stop();
  await smtp?.close();
});

const consented = { email: 'granted' };

describe('email through a real SMTP peer', () => {
  it('delivers the personalised mail in the customer’s language, with one-click unsubscribe headers', async () => {
    await engine.api('PUT', '/api/customers/mei', {
      email: 'mei@example.com',
      name: 'Mei',
      locale: 'zh-CN',
      consent: consented,
    });
    await send(engine, 'mei', 'hello.start');
    const mail = await eventually(async () => smtp.mails.find((m) => m.subject?.includes('Mei')));
    expect(mail.subject).toBe('欢迎来到山丘咖啡，Mei');
    expect((mail.to as { text: string }).text).toBe('mei@example.com');
    // The brand's sender name in front of TEND_MAIL_FROM's address.
    expect(mail.from?.value).toEqual([{ address: 'hello@hillside.example', name: 'Hillside Coffee' }]);
    expect(mail.html).toContain('Mei，您好');
    expect(mail.html).toContain('viewport'); // MJML's responsive document
    expect(mail.text).toContain('感谢您的加入');
    // The shared layout's partials: the header and the footer with the unsubscribe link.
    expect(mail.text).toMatch(/^山丘咖啡\n/m);
    expect(mail.text).toContain('山丘咖啡 · 上海市徐汇区 · 客服 400-820-0000 · help@hillside.example');
    expect(mail.html).toContain('href="https://hillside.example/beans"');
    expect(mail.html).toMatch(/不想再收到这类邮件？<a href="http:\/\/127\.0\.0\.1:\d+\/u\//);
    expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@hillside\.example>$/);
    const unsubscribe = rawHeader(mail, 'list-unsubscribe');
    expect(unsubscribe).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/u\/[\w-]+\.[\w-]+>$/);
    expect(rawHeader(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    const run = await waitForRun(engine, 'mei', (r) => r.status === 'completed');
    expect(run.steps.mail).toMatchObject({
      status: 'sent',
      channel: 'email',
      provider: 'smtp',
      messageId: mail.messageId,
    });
    const outbox = await engine.api('GET', '/api/messages?customer=mei');
    expect(outbox.body.messages).toHaveLength(1);
    expect(outbox.body.messages[0]).toMatchObject({
      status: 'sent',
      provider: 'smtp',
      to: 'mei@example.com',
      subject: '欢迎来到山丘咖啡，Mei',
      template: 'welcome',
      locale: 'zh-CN',
      workflowId: 'hello-mail',
    });
  });

  it('one-click unsubscribe withdraws consent; the next send is skipped with the reason', async () => {
    const mail = smtp.mails.find((m) => m.subject?.includes('Mei'));
    const url = rawHeader(mail, 'list-unsubscribe').slice(1, -1);
    // What a mailbox provider does for RFC 8058: POST the one-click body, no cookies, no key.
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    const click = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(click.status).toBe(200);
    const customer = await engine.api('GET', '/api/customers/mei');
    expect(customer.body.consent.email).toMatchObject({ status: 'withdrawn', source: 'unsubscribe-link' });

    const before = smtp.mails.length;
    await send(engine, 'mei', 'hello.start');
    const skipped = await eventually(async () => {
      const r = await engine.api('GET', '/api/messages?customer=mei&status=skipped');
      return r.body.messages[0];
    });
    expect(skipped).toMatchObject({ status: 'skipped', reason: 'consent_withdrawn', channel: 'email' });
    expect(skipped.detail).toContain('unsubscribe-link');
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.mails.length).toBe(before);
  });

  it('a forged or altered unsubscribe token is a plain 404, and changes nothing', async () => {
    await engine.api('PUT', '/api/customers/tom', { email: 'tom@example.com', consent: consented });
    const mail = smtp.mails[0];
    const url = rawHeader(mail, 'list-unsubscribe').slice(1, -1);
    const token = url.split('/u/')[1] as string;
    const payload = Buffer.from(JSON.stringify({ u: 'tom', c: 'email' })).toString('base64url');
    const forged = `${payload}.${token.split('.')[1]}`;
    const r = await fetch(url.replace(token, forged), { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(r.status).toBe(404);
    expect((await fetch(url.replace(token, 'nonsense'))).status).toBe(404);
    const tom = await engine.api('GET', '/api/customers/tom');
    expect(tom.body.consent.email.status).toBe('granted');
  });

  it('a customer who never consented is skipped with no_consent; one without an address with no_address', async () => {
    await engine.api('PUT', '/api/customers/nc', { email: 'nc@example.com' });
    await engine.api('PUT', '/api/customers/na', { consent: consented });
    await send(engine, 'nc', 'hello.start');
    await send(engine, 'na', 'hello.start');
    const reasons = await eventually(async () => {
      const a = (await engine.api('GET', '/api/messages?customer=nc')).body.messages[0];
      const b = (await engine.api('GET', '/api/messages?customer=na')).body.messages[0];
      return a && b ? [a.reason, b.reason] : undefined;
    });
    expect(reasons).toEqual(['no_consent', 'no_address']);
  });

  it("names the customer's owner by display name, never by email, and takes brand changes", async () => {
    await publish(
      engine,
      `id: vip-mail
name: VIP mail
trigger: { event: vip.mail }
entry: { reenter: always }
start: mail
states:
  mail:
    steps:
      - uses: messaging.send
        with: { channel: email, template: vip-care }
    end: done
`,
    );
    const users = await engine.api('POST', '/api/users', {
      email: 'Wang.Mei@shop.example',
      name: '王美',
      role: 'staff',
      password: 'a long passphrase',
    });
    expect(users.status).toBe(201);
    const owned = { locale: 'zh-CN', consent: consented };
    await engine.api('PUT', '/api/customers/v1', {
      ...owned,
      email: 'v1@example.com',
      owner: 'wang.mei@shop.example',
    });
    await engine.api('PUT', '/api/customers/v2', {
      ...owned,
      email: 'v2@example.com',
      owner: 'nobody@shop.example',
    });
    await send(engine, 'v1', 'vip.mail');
    await send(engine, 'v2', 'vip.mail');
    const v1 = await eventually(async () =>
      smtp.mails.find((m) => (m.to as { text: string }).text === 'v1@example.com'),
    );
    const v2 = await eventually(async () =>
      smtp.mails.find((m) => (m.to as { text: string }).text === 'v2@example.com'),
    );
    expect(v1.text).toContain('您的专属顾问 王美 也会亲自联系您');
    expect(v2.text).toContain('您的专属顾问 我们的团队 也会亲自联系您');
    for (const mail of [v1, v2]) expect(mail.text).not.toMatch(/@shop\.example/);

    // A new brand reaches the next message (this process forgets its copy on save).
    await setBrand(engine, { ...HILLSIDE_BRAND, name: { en: 'Hillside Roasters', 'zh-CN': '' } });
    await send(engine, 'v1', 'vip.mail');
    const again = await eventually(async () =>
      smtp.mails.filter((m) => (m.to as { text: string }).text === 'v1@example.com').at(1),
    );
    expect(again.text).toMatch(/^Hillside Roasters\n/m); // no Chinese name: the English one
    await setBrand(engine);
  });

  it('refuses a bad brand with the field named, and only admins and operators change it', async () => {
    const bad = await engine.api('PUT', '/api/brand', { ...HILLSIDE_BRAND, logoUrl: 'javascript:alert(1)' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('logoUrl');
    const header = await engine.api('PUT', '/api/brand', {
      ...HILLSIDE_BRAND,
      senderName: 'Evil\r\nBcc: x@y.z',
    });
    expect(header.status).toBe(400);
    expect(header.body.error.message).toContain('senderName');
    expect((await engine.api('PUT', '/api/brand', { name: 'Hillside' })).status).toBe(400);
    expect((await engine.api('GET', '/api/brand')).body).toMatchObject({ senderName: 'Hillside Coffee' });
    const key = await engine.api('POST', '/api/keys', { name: 'looker', role: 'viewer' });
    const viewer = await fetch(`${engine.url}/api/brand`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${key.body.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(HILLSIDE_BRAND),
    });
    expect(viewer.status).toBe(403);
  });

  it('renders a template for the journey preview without sending or recording anything', async () => {
    const before = smtp.mails.length;
    const r = await engine.api('POST', '/api/outbox/render', {
      channel: 'email',
      template: 'vip-care',
      customerId: 'v1',
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ locale: 'zh-CN' });
    expect(r.body.text).toContain('王美');
    const sample = await engine.api('POST', '/api/outbox/render', {
      channel: 'sms',
      template: 'coupon',
      data: { coupon: 'SAVE15' },
      customer: { name: 'Ann', locale: 'en' },
    });
    expect(sample.body.text).toContain('Hillside Coffee: we miss you! SAVE15');
    expect(sample.body.text).toContain('https://hillside.example/c/SAVE15');
    const bad = [
      [{ channel: 'email', template: 'nope' }, 422],
      [{ channel: 'email', template: '../../etc/passwd' }, 400],
      [{ channel: 'fax', template: 'welcome' }, 400],
      [{ channel: 'email', template: 'welcome', customerId: 'nobody' }, 404],
    ] as const;
    for (const [body, status] of bad)
      expect((await engine.api('POST', '/api/outbox/render', body)).status).toBe(status);
    expect(smtp.mails.length).toBe(before);
  });

  it('answers bad outbox queries with 400', async () => {
    expect((await engine.api('GET', '/api/messages?status=lost')).status).toBe(400);
    expect((await engine.api('GET', '/api/messages?limit=0')).status).toBe(400);
    expect((await engine.api('GET', '/api/messages?before=yesterday')).status).toBe(400);
    expect((await engine.api('GET', '/api/messages/nope')).status).toBe(404);
  });
});

describe('without SMTP_URL (the embedded default)', () => {
  it('keeps mail in the dev mailbox, readable through the API', async () => {
    const dev = await startTestEngine();
    try {
      await publish(dev, journey);
      await dev.api('PUT', '/api/customers/ann', {
        email: 'ann@example.com',
        name: 'Ann',
        consent: consented,
      });
      await send(dev, 'ann', 'hello.start');
      const mail = await eventually(async () => {
        const r = await dev.api('GET', '/api/messages?provider=devbox');
        return r.body.messages[0];
      });
      expect(mail).toMatchObject({ status: 'sent', provider: 'devbox', to: 'ann@example.com', locale: 'en' });
      // No brand saved yet: the name of TEND_MAIL_FROM (Tend, by default) stands in.
      expect(mail.subject).toBe('Welcome to Tend, Ann');
      expect(mail.html).toContain('Hi Ann,');
      expect(mail.text).toContain('Thanks for joining us');
    } finally {
      await dev.stop();
    }
  });
});
