import { expect } from 'vitest';
import { eventually, type TestEngine } from './engine.ts';

/** Stores and publishes a workflow; returns its version. */
export async function publish(engine: TestEngine, yaml: string): Promise<number> {
  const saved = await engine.api('POST', '/api/workflows', yaml, {
    headers: { 'content-type': 'application/yaml' },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBeLessThan(300);
  const published = await engine.api('POST', `/api/workflows/${saved.body.id}/publish`, {
    version: saved.body.version,
  });
  expect(published.status).toBe(200);
  return saved.body.version as number;
}

export async function send(
  engine: TestEngine,
  customerId: string,
  type: string,
  data: Record<string, unknown> = {},
  id?: string,
) {
  const r = await engine.api('POST', '/api/events', { customerId, type, data, ...(id ? { id } : {}) });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body;
}

export async function runsOf(engine: TestEngine, customerId: string, workflow?: string) {
  const r = await engine.api(
    'GET',
    `/api/runs?customer=${encodeURIComponent(customerId)}${workflow ? `&workflow=${workflow}` : ''}`,
  );
  return r.body.runs as {
    id: string;
    status: string;
    state: string;
    outcome: string | null;
    phase: string;
  }[];
}

export async function runDetail(engine: TestEngine, id: string) {
  return (await engine.api('GET', `/api/runs/${id}`)).body as {
    status: string;
    state: string;
    outcome: string | null;
    vars: Record<string, unknown>;
    steps: Record<string, unknown>;
    history: { type: string; state: string | null; step: string | null; detail: any }[];
  };
}

/** Waits for the customer's latest run of a workflow to satisfy `done`. */
export async function waitForRun(
  engine: TestEngine,
  customerId: string,
  done: (run: Awaited<ReturnType<typeof runDetail>>) => boolean,
  timeoutMs = 20_000,
) {
  return eventually(async () => {
    const [latest] = await runsOf(engine, customerId);
    if (!latest) return undefined;
    const detail = await runDetail(engine, latest.id);
    return done(detail) ? detail : undefined;
  }, timeoutMs);
}

/** The demo shop's brand (the shipped templates' examples), as an admin saves it in the editor. */
export const HILLSIDE_BRAND = {
  name: { en: 'Hillside Coffee', 'zh-CN': '山丘咖啡' },
  logoUrl: '',
  address: { en: '12 Roastery Lane, Portland', 'zh-CN': '上海市徐汇区' },
  servicePhone: '400-820-0000',
  serviceEmail: 'help@hillside.example',
  websiteUrl: 'https://hillside.example',
  senderName: 'Hillside Coffee',
};

export async function setBrand(engine: TestEngine, brand: object = HILLSIDE_BRAND): Promise<void> {
  expect((await engine.api('PUT', '/api/brand', brand)).status).toBe(200);
}
