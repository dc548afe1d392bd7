import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { waitUntil } from './wait.js';

/**
 * A private `redis-server` for fault tests that stop and restart Redis, configured like our
 * docker-compose Redis: an append-only file (so data survives a restart) and `noeviction`.
 * It runs on a free port with its data in a temporary directory; `stop` and `start` keep both,
 * so a restart brings back the same data at the same URL.
 */

export interface PrivateRedis {
  url: string;
  port: number;
  dir: string;
  /** Whether the server is running now. */
  running(): boolean;
  /**
   * Stops the server: `shutdown` (the SHUTDOWN command: AOF written, clean exit), `sigterm`
   * (what `docker stop` sends; also a clean exit) or `sigkill` (a crash: at most the last second
   * of writes lost, as with `appendfsync everysec`). Resolves once the process has exited.
   */
  stop(how?: 'shutdown' | 'sigterm' | 'sigkill'): Promise<void>;
  /** Starts it again on the same port and directory; resolves once it answers PING. */
  start(): Promise<void>;
  /** Stops it (if running) and deletes its directory. */
  close(): Promise<void>;
  /** The server's last output lines, for failure messages. */
  tail(n?: number): string;
}

export interface PrivateRedisOptions {
  /** The executable. @defaultValue 'redis-server' */
  command?: string;
}

/** Starts a private redis-server and resolves once it answers PING. */
export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'agent-trainer-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const output: string[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const tail = (n = 20) =>
    `--- last output of redis-server :${port} ---\n${output.slice(-n).join('\n')}`;

  const start = async () => {
    if (child) throw new Error(`redis-server on port ${port} is already running`);
    const server = spawn(
      options.command ?? 'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = server;
    for (const stream of [server.stdout, server.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => output.push(...chunk.trimEnd().split('\n')));
    }
    exited = new Promise<void>((resolve) => {
      server.once('exit', () => {
        if (child === server) child = undefined;
        resolve();
      });
    });
    await waitUntil(() => ping(url), {
      what: `redis-server on port ${port} to answer PING`,
      timeoutMs: 15_000,
      context: () => tail(),
    });
  };

  const stop = async (how: 'shutdown' | 'sigterm' | 'sigkill' = 'shutdown') => {
    const server = child;
    if (!server) return;
    if (how === 'shutdown') {
      const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
      // The server closes the connection instead of replying: the rejection is the success.
      await redis.connect().then(() => redis.shutdown().catch(() => undefined));
      redis.disconnect();
    } else {
      server.kill(how === 'sigterm' ? 'SIGTERM' : 'SIGKILL');
    }
    await exited;
  };

  await start();
  return {
    url,
    port,
    dir,
    running: () => child !== undefined,
    stop,
    start,
    close: async () => {
      await stop('sigkill');
      await rm(dir, { recursive: true, force: true });
    },
    tail,
  };
}

async function ping(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } finally {
    redis.disconnect();
  }
}

/** A TCP port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}
