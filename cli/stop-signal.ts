import type { Logger } from '../src/logger.js';

/** Resolves on the first SIGTERM or SIGINT, logging `{ signal }` with `message`. */
export function untilStopSignal(logger: Logger, message: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, message);
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
