/** A progress bar on stderr: redrawn in place on a terminal, a line every few seconds otherwise. */
export function progressBar(label: string, total: number) {
  const started = Date.now();
  let last = 0;
  const tty = process.stderr.isTTY === true;
  const draw = (done: number, final = false) => {
    if (!final && !tty && Date.now() - last < 2000) return;
    last = Date.now();
    const width = 28;
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const line = `${label} [${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${done.toLocaleString('en')}/${total.toLocaleString('en')} (${rate.toLocaleString('en')}/s)`;
    process.stderr.write(tty ? `\r${line}${final ? '\n' : ''}` : `${line}\n`);
  };
  return { update: (done: number) => draw(done), done: (done: number) => draw(done, true) };
}
