import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, send, waitForRun } from '../support/journeys.ts';
import { type SmtpPeer, startSmtpPeer } from '../support/smtp-peer.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const METRICS_TOKEN = 'metrics-token-0123456789';
let smtp: SmtpPeer;
let engine: TestEngine;

const journey = `
id: observed
name: Observed
trigger: { event: observed.start }
entry: { reenter: always }
start: wait
states:
  wait:
    wait: { for: 1s }
    next: mail
  mail:
    steps:
      - id: mail
        uses: messaging.send
        with: { channel: email, template: welcome }
    end: done
`;

beforeAll(async () => {
  smtp = await startSmtpPeer();
  engine = await startTestEngine({ SMTP_URL: smtp.url, TEND_METRICS_TOKEN: METRICS_TOKEN });
  await publish(engine, journey);
});
afterAll(async () => {
  await engine?.stop();
  await smtp?.close();
});

/** Prometheus' text format, as `name{labels} value` → value. */
async function scrape(): Promise<Map<string, number>> {
  const res = await fetch(`${engine.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

const sample = (samples: Map<string, number>, name: string, labels: Record<string, string> = {}) => {
  let total = 0;
  for (const [key, value] of samples) {
    if (key !== name && !key.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => key.includes(`${k}="${v}"`))) total += value;
  }
  return total;
};

describe('observability', () => {
  it('counts a journey: events, transitions, steps, timers, the outbox, providers and HTTP', async () => {
    const before = await scrape();
    await engine.api('PUT', '/api/customers/obs-1', {
      email: 'obs@example.com',
      consent: { email: 'granted' },
    });
    await send(engine, 'obs-1', 'observed.start');
    await waitForRun(engine, 'obs-1', (r) => r.status === 'completed', 30_000);
    await eventually(async () =>
      smtp.mails.find((m) => m.to && JSON.stringify(m.to).includes('obs@example.com')),
    );
    const after = await eventually(async () => {
      const s = await scrape();
      return sample(s, 'tend_outbox_messages_total', { channel: 'email', status: 'sent' }) >= 1
        ? s
        : undefined;
    });

    const moved = (name: string, labels?: Record<string, string>) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(moved('tend_events_ingested_total', { source: 'api' })).toBe(1);
    expect(moved('tend_transitions_total')).toBeGreaterThanOrEqual(2);
    expect(moved('tend_runs_started_total')).toBeGreaterThanOrEqual(1);
    expect(moved('tend_runs_ended_total', { status: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(
      moved('tend_step_duration_seconds_count', {
        plugin: 'messaging',
        step: 'messaging.send',
        outcome: 'done',
      }),
    ).toBe(1);
    expect(moved('tend_timer_lateness_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(moved('tend_provider_duration_seconds_count', { provider: 'smtp', outcome: 'accepted' })).toBe(1);
    expect(moved('tend_http_requests_total', { method: 'POST', route: '/api/events', status: '202' })).toBe(
      1,
    );
    // By the route's pattern, never by the path: no series per customer.
    expect([...after.keys()].some((k) => k.includes('obs-1'))).toBe(false);
    expect(
      [...after.keys()].some((k) => k.startsWith('tend_queue_depth{queue="tend-step",state="queued"}')),
    ).toBe(true);
    expect(sample(after, 'tend_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('the shipped Grafana dashboard asks only for series Tend exports', async () => {
    const dashboard = await readFile(path.join(root, 'docs', 'grafana-dashboard.json'), 'utf8');
    const asked = new Set(dashboard.match(/tend_[a-z0-9_]+/g));
    const exported = new Set([...(await scrape()).keys()].map((k) => k.replace(/\{.*$/, '')));
    expect(asked.size).toBeGreaterThan(10);
    for (const name of asked) expect(exported, name).toContain(name);
  });

  it('wants the metrics token when one is set', async () => {
    expect((await fetch(`${engine.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${engine.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('is ready when the database answers, the schema is current and the workers run', async () => {
    const res = await fetch(`${engine.url}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', workers: 'ok' },
    });
  });
});
