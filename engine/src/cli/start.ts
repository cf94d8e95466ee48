import type { Config } from '../config.ts';
import { startTend } from '../server/start.ts';
import { countUsers } from '../store/users.ts';

/** `tend start`: runs until SIGINT / SIGTERM, then shuts down cleanly. */
export async function runStart(config: Config): Promise<number> {
  const running = await startTend(config, { loadWorkflows: true });
  const out = process.stdout;
  out.write(`\nTend is running at ${running.url}\n`);
  const firstStart = (await countUsers(running.services.db)) === 0;
  out.write(
    firstStart
      ? `  Editor:   ${running.url}/   (no one can sign in yet: open it to create the first admin)\n`
      : `  Editor:   ${running.url}/   (sign in with your email; \`tend user add\` adds people)\n`,
  );
  out.write(`  API:      ${running.url}/api   (Authorization: Bearer <key>)\n`);
  out.write(`  API docs: ${running.url}/api/docs\n`);
  out.write(
    config.apiKeyGenerated
      ? `  Admin key: ${config.apiKey}\n            (generated for this start; set TEND_API_KEY to keep one)\n`
      : '  Admin key: the value of TEND_API_KEY\n',
  );
  out.write(
    `  Database: ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL in ${config.dataDir}`}\n\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  out.write('stopping…\n');
  await running.stop();
  return 0;
}
