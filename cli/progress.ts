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

/** `[#######-------------]` for a share done (0–1). */
export function progressBar(done: number, width = 20): string {
  const filled = Math.round(Math.min(1, Math.max(0, done)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** A duration for people: `45 s`, `12 min`, `3 h 05 min`. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * `--json` progress: one JSON object a line (`{"type":"progress","step":…,"detail":…,…figures}`)
 * on `stream`, at most one a second per step, so stdout keeps only the summary.
 */
export function createJsonProgress(stream: NodeJS.WritableStream) {
  const lastAt = new Map<string, number>();
  return (step: string, detail: string, data?: Record<string, unknown>) => {
    const now = Date.now();
    if (now - (lastAt.get(step) ?? 0) < 1000 && detail !== 'started') return;
    lastAt.set(step, now);
    stream.write(`${JSON.stringify({ type: 'progress', step, detail, ...data })}\n`);
  };
}
