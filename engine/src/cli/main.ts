import { ConfigError, loadConfig } from '../config.ts';
import { runMigrate } from './migrate.ts';
import { runStart } from './start.ts';
import { runTests } from './test.ts';
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
    if (error instanceof ConfigError) {
      process.stderr.write(`tend: ${error.message}\n`);
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
