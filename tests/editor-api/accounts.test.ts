import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs `tend <args>` as a real process on the test database, with `input` on standard input. */
function tend(args: string[], input: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'engine/bin/tend.mjs'), ...args], {
      env: { ...process.env, DATABASE_URL: engine.databaseUrl, TEND_LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
    child.stdin.end(input);
  });
}

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({}, { workers: false });
});
afterAll(async () => {
  await engine?.stop();
});

/** A browser-like client: keeps the session cookie, sends the CSRF token it was given. */
function browser() {
  let cookie = '';
  let csrf = '';
  const call = async (method: string, route: string, body?: unknown, opts: { csrf?: string | null } = {}) => {
    const headers: Record<string, string> = {};
    if (cookie) headers.cookie = cookie;
    const token = opts.csrf === undefined ? csrf : opts.csrf;
    if (token) headers['x-csrf-token'] = token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${engine.url}${route}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] ?? '';
    const json = (await res.json()) as any;
    if (json?.csrfToken) csrf = json.csrfToken;
    return { status: res.status, body: json, setCookie: set };
  };
  return { call, cookie: () => cookie };
}

describe('people sign in with a session cookie', () => {
  it('offers to create the first admin once, then signs them in', async () => {
    const b = browser();
    expect((await b.call('GET', '/api/setup')).body).toEqual({ needsSetup: true });
    const weak = await b.call('POST', '/api/setup', { email: 'ada@example.com', password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.message).toMatch(/at least 10/);
    const created = await b.call('POST', '/api/setup', {
      email: 'ada@example.com',
      name: 'Ada',
      password: 'a long passphrase',
    });
    expect(created.status).toBe(201);
    expect(created.setCookie).toMatch(/tend_session=.+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Strict/);
    expect(created.body.user).toMatchObject({ email: 'ada@example.com', role: 'admin' });
    expect((await b.call('GET', '/api/setup')).body).toEqual({ needsSetup: false });
    const again = await browser().call('POST', '/api/setup', {
      email: 'eve@example.com',
      password: 'another long one',
    });
    expect(again.status).toBe(409);
    const me = await b.call('GET', '/api/session');
    expect(me.body).toMatchObject({ user: { email: 'ada@example.com' }, role: 'admin' });
  });

  it('takes sign-in as JSON only, so another site cannot post a sign-in form', async () => {
    const form = await fetch(`${engine.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ email: 'ada@example.com', password: 'a long passphrase' }),
    });
    expect(form.status).toBe(415);
    expect(form.headers.get('set-cookie')).toBeNull();
  });

  it('refuses wrong passwords alike for unknown and known emails', async () => {
    const b = browser();
    const wrong = await b.call('POST', '/api/session', {
      email: 'ada@example.com',
      password: 'not the one!',
    });
    const unknown = await b.call('POST', '/api/session', {
      email: 'nobody@example.com',
      password: 'not the one!',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    expect((await b.call('GET', '/api/workflows')).status).toBe(401);
  });

  it('needs the CSRF token for writes, not for reads', async () => {
    const b = browser();
    const signedIn = await b.call('POST', '/api/session', {
      email: 'ADA@example.com',
      password: 'a long passphrase',
    });
    expect(signedIn.status).toBe(200);
    expect((await b.call('GET', '/api/workflows')).status).toBe(200);
    const forged = await b.call(
      'POST',
      '/api/users',
      { email: 'x@example.com', role: 'viewer', password: 'long enough 1' },
      { csrf: null },
    );
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('csrf');
    const wrongToken = await b.call(
      'POST',
      '/api/users',
      { email: 'x@example.com', role: 'viewer', password: 'long enough 1' },
      { csrf: 'guess' },
    );
    expect(wrongToken.status).toBe(403);
    const ok = await b.call('POST', '/api/users', {
      email: 'vic@example.com',
      role: 'viewer',
      password: 'long enough 1',
    });
    expect(ok.status).toBe(201);
    expect(JSON.stringify(ok.body)).not.toMatch(/password|scrypt/);
  });

  it('gives people the roles of API keys: a viewer only looks', async () => {
    const v = browser();
    expect(
      (await v.call('POST', '/api/session', { email: 'vic@example.com', password: 'long enough 1' })).status,
    ).toBe(200);
    expect((await v.call('GET', '/api/workflows')).status).toBe(200);
    const yaml = 'id: v\nname: V\ntrigger: { event: e }\nstart: a\nstates:\n  a: { end: done }\n';
    const write = await fetch(`${engine.url}/api/workflows`, {
      method: 'POST',
      headers: { cookie: v.cookie(), 'x-csrf-token': (await v.call('GET', '/api/session')).body.csrfToken },
      body: yaml,
    });
    expect(write.status).toBe(403);
    expect((await v.call('GET', '/api/users')).status).toBe(403);
  });

  it('signing out ends the session for good', async () => {
    const b = browser();
    await b.call('POST', '/api/session', { email: 'ada@example.com', password: 'a long passphrase' });
    const stolen = b.cookie();
    expect((await b.call('DELETE', '/api/session')).status).toBe(200);
    const replay = await fetch(`${engine.url}/api/workflows`, { headers: { cookie: stolen } });
    expect(replay.status).toBe(401);
  });

  it('API keys keep working beside sessions', async () => {
    expect((await engine.api('GET', '/api/session')).body).toMatchObject({
      user: null,
      key: 'bootstrap',
      role: 'admin',
    });
    expect((await engine.api('GET', '/api/users')).body.users.map((u: { email: string }) => u.email)).toEqual(
      ['ada@example.com', 'vic@example.com'],
    );
  });

  it('tend user add creates people who can sign in; bad input says why', async () => {
    const added = await tend(
      ['user', 'add', 'bob@example.com', '--role', 'operator', '--name', 'Bob'],
      'bobs long password\n',
    );
    expect(added.out).toContain('added operator bob@example.com');
    expect(added.code).toBe(0);
    const b = browser();
    const signedIn = await b.call('POST', '/api/session', {
      email: 'bob@example.com',
      password: 'bobs long password',
    });
    expect(signedIn.body.user).toMatchObject({ email: 'bob@example.com', name: 'Bob', role: 'operator' });
    const weak = await tend(['user', 'add', 'carl@example.com'], 'short\n');
    expect(weak).toMatchObject({ code: 1, out: expect.stringContaining('at least 10 characters') });
    const twice = await tend(['user', 'add', 'BOB@example.com'], 'another long password\n');
    expect(twice).toMatchObject({ code: 1, out: expect.stringContaining('exists already') });
    const listed = await tend(['user', 'list'], '');
    expect(listed.out).toMatch(/bob@example\.com\toperator\tBob/);
  });
});
