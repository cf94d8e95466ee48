import { ConfigError, loadConfig } from '../config.ts';
import { runMigrate } from './migrate.ts';
import { runStart } from './start.ts';
import { runTests } from './test.ts';
import { runUser } from './user.ts';
import { runValidate } from './validate.ts';

const COMMANDS: Record<string, { run: (args: string[]) => Promise<number>; help: string }> = {
  start: { run: () => runStart(loadConfig()), help: 'start Tend: API, workers and the shipped journeys' },
  validate: {
    run: (args) => runValidate(args),
    help: 'validate workflow files or folders (file:line:col errors)',
  },
  migrate: { run: () => runMigrate(loadConfig()), help: 'bring the database schema up to date' },
  import: {
    run: async (args) => (await import('./import.ts')).runImport(loadConfig(), args),
    help: 'import customers.csv or events.ndjson into a running Tend (TEND_URL, TEND_API_KEY)',
  },
  keys: {
    run: async (args) => (await import('./keys.ts')).runKeys(loadConfig(), args),
    help: 'keys rotate: re-encrypt personal data under a new TEND_ENCRYPTION_KEY',
  },
  demo: {
    run: async (args) => (await import('./demo.ts')).runDemo(loadConfig(), args),
    help: 'demo seed [--customers N]: a realistic synthetic customer base',
  },
  test: { run: (args) => runTests(args), help: 'run journey tests (*.test.yaml) with a virtual clock' },
  push: {
    run: async (args) => (await import('./push.ts')).runPush(loadConfig(), args),
    help: 'upload changed workflows, templates and surveys (--publish, --dry-run, --test, --json)',
  },
  diff: {
    run: async (args) => (await import('./diff.ts')).runDiff(loadConfig(), args),
    help: 'what local files change against the published versions: states, transitions, text',
  },
  pull: {
    run: async (args) => (await import('./pull.ts')).runPull(loadConfig(), args),
    help: 'write the published workflows and the latest templates and surveys to files',
  },
  rollback: {
    run: async (args) => (await import('./operate.ts')).runRollback(loadConfig(), args),
    help: 'rollback <workflow> <version>: publish an earlier version',
  },
  versions: {
    run: async (args) => (await import('./operate.ts')).runVersions(loadConfig(), args),
    help: 'versions <workflow>: who made each version, when, from where, why',
  },
  'migrate-runs': {
    run: async (args) => (await import('./operate.ts')).runMigrateRuns(loadConfig(), args),
    help: 'move running customers between versions (--from, --to, --map old:new, --leave, --dry-run)',
  },
  pause: {
    run: async (args) => (await import('./operate.ts')).runPause(loadConfig(), args, false),
    help: 'pause <workflow>: admit no one, hold customers before their next step',
  },
  resume: {
    run: async (args) => (await import('./operate.ts')).runPause(loadConfig(), args, true),
    help: 'resume <workflow> --admit|--skip: go on, admitting or skipping who would have entered',
  },
  explain: {
    run: async (args) => (await import('./explain.ts')).runExplain(loadConfig(), args),
    help: 'explain <customer> [workflow]: why a customer is where they are, or did not enter',
  },
  user: {
    run: (args) => runUser(loadConfig(), args),
    help: 'add or list people who sign in to the editor (tend user add <email> --role admin)',
  },
};

/** `tend <command>`: exits with the command's status. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    const list = Object.entries(COMMANDS).map(([n, c]) => `  tend ${n.padEnd(10)} ${c.help}`);
    process.stdout.write(`usage: tend <command>\n\n${list.join('\n')}\n`);
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  try {
    return await command.run(args);
  } catch (error) {
    // Mistakes in the command line or the setting, and an unreachable server: no stack trace.
    const e = error as Error & { code?: string };
    if (error instanceof ConfigError || e?.name === 'ClientError' || e?.code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`tend: ${e.message}\n`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tend: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
