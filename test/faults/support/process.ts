import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { StopWaiting, waitUntil } from './wait.js';

/**
 * Real `agent-trainer` processes for fault tests (`node --import tsx cli/index.ts ...`), with
 * their output captured line by line, so a test can wait for a log line, kill the process with
 * any signal at the moment it chooses, and show the output when something goes wrong.
 */

/** The repository root (the CLI's working directory). */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface CliProcessOptions {
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** Shown in messages, e.g. `worker-1`. @defaultValue the first argument */
  name?: string;
}

/** One captured output line; `json` is set when the line is a JSON object (pino logs). */
export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
  json: Record<string, unknown> | undefined;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Every line written so far, in order. */
  lines: OutputLine[];
  /** Resolves when the process has exited (however it ended). */
  exited: Promise<Exit>;
  /** The exit, once it happened; undefined while running. */
  exit(): Exit | undefined;
  /** Waits for a line matching `match`, scanning the lines already written too. */
  waitForLine(
    match: (line: OutputLine) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<OutputLine>;
  /** Sends the signal (if still running) and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<Exit>;
  /** SIGTERM, then SIGKILL if it is still running after `graceMs`; safe to call twice. */
  stop(graceMs?: number): Promise<Exit>;
  /** The last `n` lines, for failure messages. */
  tail(n?: number): string;
}

/** Starts `agent-trainer <args>` with tsx from the repository root. */
export function startCli(args: readonly string[], options: CliProcessOptions = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/index.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start agent-trainer ${args.join(' ')}`);
  const name = options.name ?? args[0] ?? 'agent-trainer';
  const lines: OutputLine[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    let partial = '';
    child[stream]?.setEncoding('utf8');
    child[stream]?.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) lines.push({ stream, text, json: parseJsonLine(text) });
    });
    child[stream]?.on('end', () => {
      if (partial !== '') lines.push({ stream, text: partial, json: parseJsonLine(partial) });
      partial = '';
    });
  }
  let ended: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    // `close` (not `exit`): the output streams are drained by then.
    child.once('close', (code, signal) => {
      ended = { code, signal };
      resolve(ended);
    });
  });
  const tail = (n = 40) =>
    `--- last output of ${name} (pid ${child.pid}) ---\n` +
    lines
      .slice(-n)
      .map((l) => l.text)
      .join('\n');
  const kill = async (signal: NodeJS.Signals) => {
    if (ended === undefined) child.kill(signal);
    return exited;
  };
  let stopping: Promise<Exit> | undefined;
  return {
    name,
    pid: child.pid,
    child,
    lines,
    exited,
    exit: () => ended,
    waitForLine: (match, what, timeoutMs = 60_000) =>
      waitUntil(
        () => {
          const found = lines.find(match);
          if (found === undefined && ended !== undefined) {
            throw new StopWaiting(
              `${name} exited (${JSON.stringify(ended)}) before ${what}\n${tail()}`,
            );
          }
          return found;
        },
        { what: `${name}: ${what}`, timeoutMs, context: () => tail() },
      ),
    kill,
    stop: (graceMs = 10_000) =>
      (stopping ??= (async () => {
        if (ended !== undefined) return ended;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      })()),
    tail,
  };
}

/** Runs `agent-trainer <args>` to its end; resolves with its exit and output (never rejects). */
export async function runCli(
  args: readonly string[],
  options: CliProcessOptions & { timeoutMs?: number } = {},
): Promise<Exit & { stdout: string; stderr: string }> {
  const cli = startCli(args, options);
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  try {
    const exit = await cli.exited;
    const text = (stream: OutputLine['stream']) =>
      cli.lines
        .filter((l) => l.stream === stream)
        .map((l) => l.text)
        .join('\n');
    return { ...exit, stdout: text('stdout'), stderr: text('stderr') };
  } finally {
    clearTimeout(timer);
  }
}

/** A log line's message (`msg` of a pino JSON line), or undefined. */
export function logMessage(line: OutputLine): string | undefined {
  const msg = line.json?.['msg'];
  return typeof msg === 'string' ? msg : undefined;
}

function parseJsonLine(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
