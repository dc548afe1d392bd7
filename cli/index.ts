import { Command, CommanderError } from 'commander';
import { describeError, isAppError } from '../src/errors.js';
import { registerCommands } from './commands/index.js';

/**
 * The `agent-trainer` command line. Each command lives in `cli/commands/`; errors end as one
 * line on stderr and a non-zero exit code, never a stack trace, unless DEBUG is set.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('agent-trainer')
    .description("Training-loop worker for Klaviyo's Customer Agent")
    .exitOverride()
    // Commander's own errors (unknown command, bad or missing argument) look like ours: one line.
    // Set before the commands are added, which copy it.
    .configureOutput({
      outputError: (message, write) =>
        write(
          `agent-trainer: ${oneLine(message.replace(/^error: /, ''))} (run with --help for usage)\n`,
        ),
    });
  registerCommands(program);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help text).
      return error.exitCode;
    }
    const prefix = isAppError(error) ? '' : 'unexpected error: ';
    process.stderr.write(`agent-trainer: ${prefix}${oneLine(describeError(error))}\n`);
    if (process.env['DEBUG']) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return 1;
  }
}

/**
 * A message of several lines (e.g. one per invalid setting) as one line: parts joined by "; ",
 * or by a space after a heading that ends with ":" and before a "(hint)".
 */
function oneLine(text: string): string {
  return text
    .split('\n')
    .map((part) => part.trim())
    .filter(Boolean)
    .reduce((line, part) => {
      if (line === '') return part;
      return `${line}${line.endsWith(':') || part.startsWith('(') ? ' ' : '; '}${part}`;
    }, '');
}

const exitCode = await main(process.argv);
// Commands that start servers keep the process alive on their own; the rest end here.
if (exitCode !== 0) process.exit(exitCode);
