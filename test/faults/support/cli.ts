import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs the real `agent-trainer` command line in a child process (the sources through tsx, as
 * `bin/agent-trainer.js` does without a build), with an environment that holds only what the
 * test gives it: settings of the runner's own environment must not leak into the command.
 */

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Variables the CLI reads; removed from the inherited environment unless a test sets them. */
const APP_VARIABLE =
  /^(?:KLAVIYO_|ANTHROPIC_|LLM_|SLACK_|SERVER_|REDIS_|QUEUE_PREFIX$|ACCOUNTS_FILE$|APPROVERS$|SNAPSHOT_|PULL_|LOG_LEVEL$|DEBUG$)/;

export function runCli(
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<CliResult> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !APP_VARIABLE.test(entry[0]),
    ),
  );
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'cli/index.ts', ...args],
      { env: { ...inherited, ...env }, timeout: timeoutMs, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`agent-trainer ${args.join(' ')} did not finish: ${error.message}`));
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** A scratch folder for accounts and scenario files, removed by `cleanup()`. */
export async function scratchDir(): Promise<{
  file(name: string, content: string): Promise<string>;
  cleanup(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'agent-trainer-faults-'));
  return {
    async file(name, content) {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
