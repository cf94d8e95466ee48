import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import type { Explanation } from '../explain/types.ts';
import { apiClient, failure } from './client.ts';

/** `tend explain <customer> [workflow]`: the answer in plain words, with the records cited. */
export async function runExplain(config: Config, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const [customer, workflow] = positionals;
  if (!customer) {
    process.stderr.write('usage: tend explain <customer> [workflow]\n');
    return 2;
  }
  const query = workflow ? `?workflow=${encodeURIComponent(workflow)}` : '';
  const r = await apiClient(config)<Explanation>(
    'GET',
    `/api/customers/${encodeURIComponent(customer)}/explain${query}`,
  );
  if (!r.ok) {
    process.stderr.write(`${failure(r)}\n`);
    return 1;
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(r.body, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const w of r.body.workflows) {
    lines.push(`${w.workflow} (${w.name})${w.paused ? ' [paused]' : ''}`, `  ${w.summary}`);
    for (const reason of w.reasons) {
      const cited = reason.records.map((c) => `${c.table}:${c.id}`).join(', ');
      lines.push(`  - ${reason.at ? `${reason.at} ` : ''}${reason.message}${cited ? `  [${cited}]` : ''}`);
    }
    lines.push('');
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
