import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Paths that may carry secrets. Redaction is configured once on the root logger: pino replaces
 * (not merges) redaction when a child sets its own, so children must never pass `redact`.
 */
export const REDACTED_PATHS = [
  'apiKey',
  '*.apiKey',
  'key',
  '*.key',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  'signingSecret',
  '*.signingSecret',
  'password',
  '*.password',
];

export interface LoggerSettings {
  level: string;
  /** Pretty, human-oriented output (only when stdout is a terminal). */
  pretty?: boolean;
}

export function createLogger(
  settings: LoggerSettings,
  destination?: pino.DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: 'agent-trainer' },
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
  };
  if (settings.pretty && !destination) {
    options.transport = {
      target: 'pino-pretty',
      options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' },
    };
  }
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that discards everything, for library code used without one. */
export const silentLogger: Logger = pino({ level: 'silent' });
