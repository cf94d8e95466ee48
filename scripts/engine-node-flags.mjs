/**
 * The Node.js flags every engine process starts with (`pnpm start`, `npx tend`, and the engines
 * the tests and benchmarks spawn, so they measure what users run).
 *
 * V8 sizes the young generation by the machine's memory: two semi-spaces of 64 MiB each on a
 * 24 GiB machine, all of it touched between two collections and so resident. At 16 MiB, V8's
 * size on smaller machines, the engine benchmark (`pnpm bench -- --only engine --customers 3000
 * --rounds 2`, in turn, twice each) kept 221–225 MiB idle and 330–347 MiB after the rounds
 * against 272–273 and 426–431 MiB, with transitions/s and CPU per transition within the noise of
 * the runs. `engine/bin/tend.mjs` carries the same flag on its first line, for `npx tend`.
 */
export const ENGINE_NODE_FLAGS = ['--max-semi-space-size=16'];
