import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createUser } from '../accounts/users.ts';
import type { Role } from '../api/app-env.ts';
import { systemClock } from '../clock.ts';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { startEmbeddedPostgres } from '../postgres/embedded.ts';
import { createDb } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { listUsers } from '../store/users.ts';

const USAGE = `usage:
  tend user add <email> [--role admin|operator|viewer|staff] [--name "Full Name"] [--team <team> [--lead]]
      the password is read from standard input (typed without echo, or piped); a team's lead
      (staff) sees the customers its members own
  tend user list`;

/** `tend user add|list`: people who sign in to the editor. */
export async function runUser(config: Config, args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'add' && action !== 'list') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      role: { type: 'string', default: 'admin' },
      name: { type: 'string' },
      team: { type: 'string' },
      lead: { type: 'boolean', default: false },
    },
  });
  const email = positionals[0];
  if (action === 'add' && !email) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const password = action === 'add' ? await readPassword() : '';
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, config.logFormat);
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir, log);
  const { db } = createDb(config.databaseUrl ?? (embedded?.socketUrl as string), { max: 2 });
  try {
    await migrateToLatest(db);
    if (action === 'list') {
      for (const u of await listUsers(db)) {
        const team = u.team ? `${u.team}${u.teamLead ? ' (lead)' : ''}` : '';
        process.stdout.write(`${u.email}\t${u.role}\t${u.name ?? ''}\t${team}\n`);
      }
      return 0;
    }
    const user = await createUser(
      db,
      {
        email: email as string,
        name: values.name ?? null,
        role: values.role as Role,
        password,
        team: values.team ?? null,
        teamLead: values.lead ?? false,
      },
      // The engine's clock (TEND_CLOCK_OFFSET): the engine reads the time it records.
      systemClock(config.clockOffsetMs)(),
    );
    process.stdout.write(`added ${user.role} ${user.email}: they can sign in at the editor now\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    process.stderr.write(`tend user: ${error.message}\n`);
    return 1;
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}

/** One line from standard input; on a terminal, typed without echo. */
async function readPassword(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const lines = createInterface({ input });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    return '';
  }
  process.stdout.write('Password: ');
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve) => {
    let typed = '';
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          input.setRawMode(false);
          input.pause();
          input.off('data', onData);
          process.stdout.write('\n');
          resolve(typed);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        typed = ch === '\u007f' ? typed.slice(0, -1) : typed + ch;
      }
    };
    input.on('data', onData);
  });
}
