import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { eventually } from '../support/engine.ts';
import { call, type EngineProcess, spawnEngine } from '../support/process.ts';
import { type SmtpPeer, startSmtpPeer } from '../support/smtp-peer.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/**
 * A collector that speaks OTLP/HTTP with JSON bodies (what the OpenTelemetry exporter sends to
 * `/v1/traces`): it answers as the specification says and keeps every span.
 */
async function startCollector(): Promise<{ url: string; spans: Span[]; server: Server }> {
  const spans: Span[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (
        req.method !== 'POST' ||
        req.url !== '/v1/traces' ||
        !req.headers['content-type']?.includes('json')
      ) {
        res.writeHead(415).end();
        return;
      }
      const request = JSON.parse(body) as {
        resourceSpans: { scopeSpans: { spans: Span[] }[] }[];
      };
      for (const r of request.resourceSpans) for (const s of r.scopeSpans) spans.push(...s.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"partialSuccess":{}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, server };
}

let collector: Awaited<ReturnType<typeof startCollector>>;
let smtp: SmtpPeer;
let engine: EngineProcess;

beforeAll(async () => {
  collector = await startCollector();
  smtp = await startSmtpPeer();
  engine = await spawnEngine(await createTestDatabase(), {
    SMTP_URL: smtp.url,
    TEND_WORKFLOWS_DIR: path.join(root, 'workflows'),
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
  });
});
afterAll(async () => {
  await engine?.kill('SIGKILL');
  await smtp?.close();
  collector?.server.close();
});

const journey = `
id: traced
name: Traced
trigger: { event: traced.start }
start: pause
states:
  pause:
    wait: { for: 1s }
    next: mail
  mail:
    steps:
      - uses: messaging.send
        with: { channel: email, template: welcome }
    end: done
`;

describe('traces', () => {
  it('follow one event from its HTTP request through dispatch, a timer and the step to the SMTP call', async () => {
    expect((await call(engine.url, 'POST', '/api/workflows', journey, 'application/yaml')).status).toBe(201);
    await call(engine.url, 'POST', '/api/workflows/traced/publish', { version: 1 });
    await call(engine.url, 'PUT', '/api/customers/t1', {
      email: 't1@example.com',
      consent: { email: 'granted' },
    });
    expect(
      (await call(engine.url, 'POST', '/api/events', { customerId: 't1', type: 'traced.start' })).status,
    ).toBe(202);
    await eventually(async () => smtp.mails.length > 0);

    // Each process exports its spans in batches as they end, a parent after its children: the
    // chain from the provider call up is read once it reaches a span with no parent.
    const { chain, trace } = await eventually(async () => {
      const send = collector.spans.find((s) => s.name === 'send email');
      if (!send) return undefined;
      const trace = collector.spans.filter((s) => s.traceId === send.traceId);
      const byId = new Map(trace.map((s) => [s.spanId, s]));
      const chain: string[] = [];
      for (let s: Span | undefined = send; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined) {
        chain.unshift(s.name);
        if (!s.parentSpanId) return { chain, trace };
      }
      return undefined;
    });
    // The request's server span is the root, with the dispatch its process ran at once below it;
    // pg-boss's producer and consumer spans carry the context on to the timer's worker; the step
    // and the provider call hang below.
    expect(chain[0]).toBe('POST /api/events');
    expect(chain.indexOf('dispatch')).toBeGreaterThan(0);
    expect(chain.indexOf('insert tend-timer')).toBeGreaterThan(chain.indexOf('dispatch'));
    expect(chain.indexOf('process tend-timer')).toBeGreaterThan(chain.indexOf('insert tend-timer'));
    expect(chain.indexOf('step messaging.send')).toBeGreaterThan(chain.indexOf('process tend-timer'));
    expect(chain.at(-1)).toBe('send email');
    const server = trace.find((s) => s.name === 'POST /api/events');
    expect(server?.kind).toBe(2); // SPAN_KIND_SERVER
    // No personal data in spans: the customer's address appears nowhere.
    expect(JSON.stringify(collector.spans)).not.toContain('t1@example.com');
  });
});
