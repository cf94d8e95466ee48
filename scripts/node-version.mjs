// Which Node.js Tend runs on. Plain JavaScript that any Node.js can parse: scripts/run.mjs asks it
// before it loads anything else, so an old Node.js gets a sentence instead of a stack trace.

/** The oldest Node.js Tend runs on: pg-boss 12 and vite need 22.12 (kysely 22, vitest 20). */
export const MINIMUM_NODE = [22, 12, 0];

/**
 * What is wrong with this Node.js version for Tend, or null when it will do. `version` is
 * `process.versions.node` (e.g. "20.20.2"); `command` is what was run ("start", "test").
 */
export function nodeVersionProblem(version, command = 'start') {
  const parts = String(version).replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < MINIMUM_NODE.length; i++) {
    const have = parts[i] ?? 0;
    if (Number.isNaN(have)) break;
    if (have > MINIMUM_NODE[i]) return null;
    if (have < MINIMUM_NODE[i]) {
      return [
        `Tend needs Node.js ${MINIMUM_NODE[0]}.${MINIMUM_NODE[1]} or newer (24 LTS recommended); this is Node.js ${version}.`,
        'Install Node.js 24 LTS from https://nodejs.org (or with your version manager: nvm install 24),',
        `or run Tend once with it through npm: npx node@24 scripts/run.mjs ${command}`,
      ].join('\n');
    }
  }
  return null;
}
