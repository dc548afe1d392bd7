import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { AppError } from './errors.js';
import { redactRedisUrl } from './redis.js';

/** A Redis to use, and how to let it go. */
export interface LocalRedis {
  url: string;
  /** Stops the server when this process started one; otherwise does nothing. */
  stop(): Promise<void>;
  startedHere: boolean;
}

/**
 * For the demo and one-off runs: the Redis at `url` (or the conventional local one) when it
 * answers, else a throwaway `redis-server` on a free port that keeps nothing on disk.
 */
export async function ensureRedis(url = 'redis://127.0.0.1:6379'): Promise<LocalRedis> {
  if (await answers(url)) return { url, startedHere: false, stop: async () => {} };
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new AppError(
      `No Redis answered at ${redactRedisUrl(url)} and redis-server is not installed. ` +
        'Start one (Debian/Ubuntu: apt-get install redis-server) or set REDIS_URL.',
      { code: 'redis_unavailable', retryable: false },
    );
  }
  const port = await freePort();
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const localUrl = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (await answers(localUrl)) {
      return {
        url: localUrl,
        startedHere: true,
        stop: async () => {
          server.kill('SIGTERM');
          await new Promise((resolve) => server.once('exit', resolve));
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  server.kill('SIGKILL');
  throw new AppError(`redis-server did not start on port ${port}`, {
    code: 'redis_unavailable',
    retryable: false,
  });
}

async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
