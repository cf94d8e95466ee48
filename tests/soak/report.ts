import type { LaneResult } from './lane.ts';
import type { Tally } from './tally.ts';

export interface SoakRun {
  at: Date;
  node: string;
  machine: string;
  policy: 'resend' | 'hold';
  lanes: LaneResult[];
  minutes: number;
  drainSeconds: number;
  rows: Tally[];
  badSignatures: number;
  command: string;
}

/** The soak's report, as Markdown (committed as docs/soak-report.md). */
export function renderReport(run: SoakRun): string {
  const kills = run.lanes.reduce((s, l) => s + l.kills, 0);
  const duringStart = run.lanes.reduce((s, l) => s + l.killedDuringStart, 0);
  const processes = run.lanes.reduce((s, l) => s + l.processesKilled, 0);
  const runs = run.lanes.reduce((s, l) => s + l.accepted.length, 0);
  const failed = run.lanes.flatMap((l) => l.failedStarts);
  const table = [
    '| effect | expected | done | lost | doubled | repeated under its key | held as uncertain |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...run.rows.map(
      (r) =>
        `| ${r.kind} | ${r.expected} | ${r.done} | ${r.lost} | ${r.doubled} | ${r.repeated} | ${r.uncertain} |`,
    ),
  ];
  return [
    '# Soak report',
    '',
    `\`${run.command}\`, finished ${run.at.toISOString()} on Node.js ${run.node}, ${run.machine}; ${run.minutes.toFixed(0)} minutes.`,
    '',
    `**${kills} kills** of Tend's whole process tree (launcher, engine, embedded PostgreSQL and its backends, ${processes} processes in all, each kill SIGKILL to every process at one moment), in ${run.lanes.length} installations side by side; ${duringStart} of the kills landed while Tend was starting (PostgreSQL recovering, migrations, workers), the rest while it worked. ${runs} runs of the soak journey (\`tests/fixtures/soak/soak.yaml\`: points, a tag, an email, a call to an HTTP peer, a 2 s timer, then a signed webhook), each started by an event the engine had acknowledged. After the last kill, the last start finished the work in ${run.drainSeconds.toFixed(0)} s.`,
    '',
    `Email policy for sends whose outcome is unknown: \`${run.policy}\` (README, "Delivery guarantees").`,
    '',
    ...table,
    '',
    'How each column is counted: *lost*: a run that should have had the effect and has none (nor a message held for a person); *doubled*: a second effect for one run (a second idempotency key or Message-ID at the peer, a second ledger entry, a step done twice, a state entered twice or a timer fired early); *repeated*: the same effect delivered again under its one key after a kill (the same `Idempotency-Key` or `Message-ID`), which a deduplicating receiver applies once; *held*: messages marked `uncertain` under the `hold` policy, waiting for a person.',
    '',
    `Webhook calls with a bad signature: ${run.badSignatures}.`,
    '',
    `Starts that failed (Tend exited before it was ready, and was started again): ${failed.length}.`,
    ...failed.map((output) => ['', '```', output.trim(), '```'].join('\n')),
    '',
  ].join('\n');
}
