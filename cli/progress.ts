/**
 * One self-rewriting status line for long work on a terminal; on a pipe (CI, logs) it prints a
 * line at most every few seconds instead, so progress stays visible without flooding the output.
 */
export interface ProgressLine {
  update(text: string): void;
  done(): void;
}

export function createProgressLine(stream: NodeJS.WriteStream, quiet = false): ProgressLine {
  const isTty = Boolean(stream.isTTY);
  let last = '';
  let lastPrintedAt = 0;
  return {
    update(text) {
      last = text;
      if (quiet) return;
      if (isTty) {
        stream.write(`\r\u001b[2K  ${text}`);
      } else if (Date.now() - lastPrintedAt > 5000) {
        lastPrintedAt = Date.now();
        stream.write(`  ${text}\n`);
      }
    },
    done() {
      if (quiet) return;
      if (isTty) stream.write(`\r\u001b[2K  ${last}\n`);
    },
  };
}
