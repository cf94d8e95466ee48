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
  test: { run: (args) => runTests(args), help: 'run journey tests (*.test.yaml) with a virtual clock' },
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
