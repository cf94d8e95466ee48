/**
 * `pnpm soak [--kills 1000] [--lanes 2] [--wave 6] [--email resend|hold] [--report docs/soak-report.md]`
 *
 * Drives steps, timers, webhooks and email through SIGKILLs of Tend's whole process tree (the
 * launcher, the engine, the embedded PostgreSQL and its backends, all at one moment), then lets
 * the last start finish everything and counts, per kind of effect, what was lost, doubled,
 * repeated under its one key, or held as uncertain. Each wave's events go half in one batch, half
 * one per request, so both ways an event is dispatched (a dispatch job; the process that took it,
 * under a watch job) are killed under. Each lane is an installation of its own
 * (own data folder and PostgreSQL); `--kills` counts over all lanes. Not part of `pnpm test`:
 * a thousand kills take about an hour here.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ADMIN_KEY, LOOPBACK_ALLOWED, TEST_ENCRYPTION_KEY, TEST_PLUGIN } from '../support/engine.ts';
import { startSmtpPeer } from '../support/smtp-peer.ts';
import { type LaneResult, runLane } from './lane.ts';
import { startSoakPeer } from './peers.ts';
import { renderReport } from './report.ts';
import { type Tally, tallyLane, tallyPeers, waitForRuns } from './tally.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  // `pnpm soak -- --kills 10` passes the `--` along.
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
  options: {
    kills: { type: 'string', default: '1000' },
    lanes: { type: 'string', default: '2' },
    wave: { type: 'string', default: '6' },
    email: { type: 'string', default: 'resend' },
    report: { type: 'string', default: 'docs/soak-report.md' },
  },
});
const kills = Number(values.kills);
const lanes = Number(values.lanes);
const policy = values.email === 'hold' ? 'hold' : 'resend';
const HOOK_SECRET = 'soak-hook-secret-0123456789';

const started = Date.now();
const smtp = await startSmtpPeer({ acceptDelayMs: 20 });
const record = await startSoakPeer({ delayMs: 20 });
const webhook = await startSoakPeer({ secret: HOOK_SECRET, delayMs: 20 });
const env = {
  TEND_API_KEY: ADMIN_KEY,
  TEND_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
  TEND_PLUGINS: TEST_PLUGIN,
  TEND_WORKFLOWS_DIR: path.join(root, 'tests', 'fixtures', 'soak'),
  TEND_LOG_LEVEL: 'warn',
  TEND_OUTBOUND_ALLOW: LOOPBACK_ALLOWED,
  SMTP_URL: smtp.url,
  TEND_WEBHOOK_URL: `${webhook.url}/hook`,
  TEND_WEBHOOK_SECRET: HOOK_SECRET,
  TEND_EMAIL_UNCERTAIN: policy,
};

let done = 0;
const results = await Promise.all(
  Array.from({ length: lanes }, (_, i) =>
    runLane({
      name: `lane${i + 1}`,
      root,
      kills: Math.ceil(kills / lanes),
      wave: Number(values.wave),
      env,
      recordUrl: `${record.url}/record`,
      onKill: (lane, n, processes, during) => {
        done += 1;
        if (done % 25 === 0 || n === 1) {
          const minutes = ((Date.now() - started) / 60_000).toFixed(1);
          process.stdout.write(
            `${minutes} min: ${done} kills (${lane} #${n}: ${processes} processes, ${during})\n`,
          );
        }
      },
    }),
  ),
);

process.stdout.write('all kills done; the last starts finish the work…\n');
const drainStarted = Date.now();
await Promise.all(results.map((lane) => waitForRuns(lane, Date.now() + 600_000)));
// Calls in flight when the last run ended still reach the peers: give them a moment.
await new Promise((r) => setTimeout(r, 2000));
const drainSeconds = (Date.now() - drainStarted) / 1000;

const laneTallies = await Promise.all(results.map((lane) => tallyLane(lane)));
const customers = results.flatMap((lane) => lane.accepted);
const held = {
  email: new Set(laneTallies.flatMap((t) => [...t.held.email])),
  webhook: new Set(laneTallies.flatMap((t) => [...t.held.webhook])),
};
const rows: Tally[] = [
  ...sumRows(laneTallies.map((t) => t.rows)),
  ...tallyPeers(customers, { record, webhook, smtp }, held),
];
await Promise.all(results.map((lane) => lane.stop()));
await Promise.all([smtp.close(), record.close(), webhook.close()]);

const report = renderReport({
  at: new Date(),
  node: process.version,
  machine: `${cpus().length} cores, ${Math.round(totalmem() / 1024 ** 3)} GiB`,
  policy,
  lanes: results as LaneResult[],
  minutes: (Date.now() - started) / 60_000,
  drainSeconds,
  rows,
  badSignatures: webhook.badSignatures,
  command: `pnpm soak --kills ${kills} --lanes ${lanes} --wave ${values.wave} --email ${policy}`,
});
await writeFile(path.resolve(root, String(values.report)), report);
process.stdout.write(`${report}\nwritten to ${values.report}\n`);
// A repeat under the one key is what the policy allows; a lost or second effect never is.
const failed =
  rows.some((r) => r.lost > 0 || r.doubled > 0) || results.some((lane) => lane.failedStarts.length > 0);
process.exitCode = failed ? 1 : 0;

/** Adds the lanes' rows of the same kind. */
function sumRows(perLane: Tally[][]): Tally[] {
  const first = perLane[0] ?? [];
  return first.map((r, i) =>
    perLane.slice(1).reduce<Tally>((acc, lane) => {
      const other = lane[i] as Tally;
      return {
        kind: acc.kind,
        expected: acc.expected + other.expected,
        done: acc.done + other.done,
        lost: acc.lost + other.lost,
        doubled: acc.doubled + other.doubled,
        repeated: acc.repeated + other.repeated,
        uncertain: acc.uncertain + other.uncertain,
      };
    }, r),
  );
}
