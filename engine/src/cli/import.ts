import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import type { Config } from '../config.ts';
import type { CustomerInput } from '../customers/types.ts';
import { apiClient } from './client.ts';
import { progressBar } from './progress.ts';

const PROFILE_COLUMNS = new Set(['email', 'phone', 'name', 'birthday', 'timezone', 'locale', 'owner']);

/**
 * `tend import customers.csv | events.ndjson`: loads a file into a running Tend through its batch
 * API (validated like any other call), with a progress bar. Stops at the first bad batch and
 * names the lines.
 */
export async function runImport(config: Config, args: string[]): Promise<number> {
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) {
    process.stderr.write('usage: tend import <customers.csv | events.ndjson>\n');
    return 2;
  }
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    process.stderr.write(`${file}: no such file\n`);
    return 2;
  }
  const call = apiClient(config);
  const bar = progressBar(`importing ${path.basename(file)}`, info.size);
  const kind = /\.csv$/i.test(file) ? 'customers' : /\.(nd)?jsonl?$|\.ndjson$/i.test(file) ? 'events' : null;
  if (!kind) {
    process.stderr.write('tend import reads customers from .csv and events from .ndjson files\n');
    return 2;
  }
  const batchSize = kind === 'customers' ? 1000 : 5000;
  let batch: { line: number; item: unknown }[] = [];
  let imported = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const route = kind === 'customers' ? '/api/customers/batch' : '/api/events/batch';
    const r = await call(
      'POST',
      route,
      batch.map((b) => b.item),
    );
    if (r.status >= 300) {
      const message = String(r.body.error?.message ?? r.status).replace(
        /\[(\d+)\]/g,
        (_m, i) => `line ${batch[Number(i)]?.line}`,
      );
      throw new ImportError(`lines ${batch[0]?.line}–${batch.at(-1)?.line}: ${message}`);
    }
    imported += batch.length;
    batch = [];
  };
  try {
    const rows = kind === 'customers' ? csvRows(file) : ndjsonRows(file);
    for await (const { line, item, bytes } of rows) {
      batch.push({ line, item });
      if (batch.length >= batchSize) await flush();
      bar.update(bytes);
    }
    await flush();
    bar.done(info.size);
    process.stdout.write(`imported ${imported.toLocaleString('en')} ${kind}\n`);
    return 0;
  } catch (error) {
    bar.done(0);
    process.stderr.write(
      `${(error as Error).message}\nimported ${imported.toLocaleString('en')} ${kind} before that\n`,
    );
    return error instanceof ImportError ? 1 : 2;
  }
}

class ImportError extends Error {}

async function* csvRows(
  file: string,
): AsyncGenerator<{ line: number; item: CustomerInput & { id: string }; bytes: number }> {
  const stream = createReadStream(file);
  const parser = stream.pipe(
    parse({ columns: true, skip_empty_lines: true, trim: true, bom: true, info: true }),
  );
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    yield { line: info.lines, item: customerFromRow(record, info.lines), bytes: stream.bytesRead };
  }
}

/** One CSV row: known columns are profile fields, `tags` is `a;b`, `consent.<channel>`, the rest attributes. */
function customerFromRow(row: Record<string, string>, line: number): CustomerInput & { id: string } {
  const id = row.id ?? row.customerId;
  if (!id) throw new ImportError(`line ${line}: every row needs an id column`);
  const out: CustomerInput & { id: string } = { id };
  const attributes: Record<string, unknown> = {};
  const consent: NonNullable<CustomerInput['consent']> = {};
  for (const [column, value] of Object.entries(row)) {
    if (value === '' || column === 'id' || column === 'customerId') continue;
    if (PROFILE_COLUMNS.has(column)) (out as unknown as Record<string, unknown>)[column] = value;
    else if (column === 'tags')
      out.tags = value
        .split(/[;|]/)
        .map((t) => t.trim())
        .filter(Boolean);
    else if (column.startsWith('consent.')) {
      if (value !== 'granted' && value !== 'withdrawn')
        throw new ImportError(`line ${line}: ${column} must be granted or withdrawn`);
      consent[column.slice('consent.'.length)] = { status: value, source: 'import' };
    } else attributes[column.replace(/^attributes\./, '')] = numberOrText(value);
  }
  if (Object.keys(attributes).length > 0) out.attributes = attributes;
  if (Object.keys(consent).length > 0) out.consent = consent;
  return out;
}

async function* ndjsonRows(file: string): AsyncGenerator<{ line: number; item: unknown; bytes: number }> {
  const stream = createReadStream(file);
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    line += 1;
    if (text.trim() === '') continue;
    try {
      yield { line, item: JSON.parse(text), bytes: stream.bytesRead };
    } catch (error) {
      throw new ImportError(`line ${line}: not JSON (${(error as Error).message})`);
    }
  }
}

const numberOrText = (v: string): unknown =>
  /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v;
