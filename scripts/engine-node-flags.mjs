/**
 * The Node.js flags engine processes start with: `pnpm start` and `pnpm tend` (scripts/run.mjs),
 * and the engines the tests and benchmarks spawn, so they measure what users run. `npx tend`
 * runs the bin without them (a shebang with arguments needs `env -S`, which not every `env`
 * has); `NODE_OPTIONS="--max-semi-space-size=16 --heap-growing-percent=50"` gives it the same.
 *
 * V8 sizes the young generation by the machine's memory: two semi-spaces of 64 MiB each on a
 * 24 GiB machine, all of it touched between two collections and so resident. At 16 MiB, V8's
 * size on smaller machines, the engine benchmark (`pnpm bench -- --only engine --customers 4000
 * --rounds 2 --raw-jobs 20000 --latency-events 50`, without the flag, with 32 MiB and with 16 MiB
 * in turn, three times) kept 211–230 MiB idle and 348–358 MiB after the rounds, against 256–265
 * and 433–438 MiB without it (32 MiB: 252–262 and 367–388); transitions/s 36.4–43.4 % of raw
 * pg-boss against 37.4–40.7 %, the engine's CPU per 1,000 transitions 134 ms against 136–165.
 *
 * Under load V8 let the old generation grow to about three times what survived its last full
 * collection (some 40 MiB live, 140 MiB before the next collection). `--heap-growing-percent=50`
 * collects at one and a half times instead. The engine benchmark (same command as above, with and
 * without it in turn, three times): 202–213 MiB after the last round against 280–290, the
 * engine's CPU per 1,000 transitions 125–144 ms against 125–149; one event per request (`--only
 * http`, three pairs in turn) 1,800–1,857 events/s at 50 connections against 1,812–1,950, the
 * engine's CPU per 1,000 events 345–356 ms against 319–354.
 *
 * 8 MiB semi-spaces (2026-12-07, each way three times in turn, the engine benchmark as above with
 * `--latency-events 100`) kept 142–145 MiB idle against 155–157 and 193–208 after the rounds
 * against 200–216, at the same transitions/s; but one event per request (`--only http`, two pairs)
 * cost the engine 374–385 ms of CPU per 1,000 events at 10 connections against 351–361, and
 * 225–243 at 50 against 192–217, with fewer events accepted (a young generation half the size is
 * scavenged twice as often): a cost on the path integrations use, for a few MiB. Not taken.
 */
export const ENGINE_NODE_FLAGS = ['--max-semi-space-size=16', '--heap-growing-percent=50'];
