/**
 * A progress bar on stderr: redrawn in place on a terminal, a line every few seconds otherwise.
 * Elapsed time only (performance.now): no time the engine decides with or records.
 */
export function progressBar(label: string, total: number) {
  const started = performance.now();
  let last = Number.NEGATIVE_INFINITY;
  const tty = process.stderr.isTTY === true;
  const draw = (done: number, final = false) => {
    if (!final && !tty && performance.now() - last < 2000) return;
    last = performance.now();
    const width = 28;
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const line = `${label} [${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${done.toLocaleString('en')}/${total.toLocaleString('en')} (${rate.toLocaleString('en')}/s)`;
    process.stderr.write(tty ? `\r${line}${final ? '\n' : ''}` : `${line}\n`);
  };
  return { update: (done: number) => draw(done), done: (done: number) => draw(done, true) };
}
