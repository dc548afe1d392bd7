import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { masterNodes, type RedisConnection } from '../../src/redis.js';

const run = promisify(execFile);

/** A throwaway Redis Cluster of local `redis-server` processes in a temp dir. */
export interface LocalCluster {
  ports: number[];
  /** `redis://127.0.0.1:P1,redis://127.0.0.1:P2,...`: the REDIS_URL seed list of cluster mode. */
  url: string;
  stop(): Promise<void>;
}

/** True when `redis-server` and `redis-cli` can be run here. */
export function hasRedisServer(): boolean {
  return ['redis-server', 'redis-cli'].every(
    (bin) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0,
  );
}

/**
 * Starts `masters` masters without replicas on free ports (each also needs port + 10000 for the
 * cluster bus), joins them with `redis-cli --cluster create`, and waits until every node reports
 * `cluster_state:ok` and knows every slot's owner.
 */
export async function startLocalCluster(masters = 3): Promise<LocalCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'agent-trainer-cluster-'));
  const ports = await freeClusterPorts(masters);
  const servers: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(servers.map(stopProcess));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      // prettier-ignore
      const server = spawn('redis-server', [
        '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
        '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`,
        '--cluster-node-timeout', '5000', '--appendonly', 'no', '--save', '',
        '--maxmemory-policy', 'noeviction',
      ], { stdio: 'ignore' });
      servers.push(server);
    }
    for (const port of ports) await waitUntil(() => cli(port, 'PING').then((r) => r === 'PONG'));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports) {
      await waitUntil(async () => {
        const info = await cli(port, 'CLUSTER', 'INFO');
        return (
          /cluster_state:ok/.test(info) &&
          /cluster_known_nodes:(\d+)/.exec(info)?.[1] === String(masters)
        );
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { ports, url: ports.map((p) => `redis://127.0.0.1:${p}`).join(','), stop };
}

async function cli(port: number, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('redis-cli', ['-p', String(port), ...args]);
    return stdout.trim();
  } catch {
    return '';
  }
}

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the local Redis Cluster did not become ready');
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Ports P with P and P + 10000 (the cluster bus) both free. */
async function freeClusterPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (port <= 55_535 && !ports.includes(port) && (await isFree(port + 10_000))) ports.push(port);
  }
  return ports;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Every key under `pattern`, per master port (SCAN sees one server). */
export async function keysByMaster(redis: RedisConnection, pattern: string) {
  const found = new Map<number, string[]>();
  for (const node of masterNodes(redis)) {
    const keys = await node.keys(pattern);
    if (keys.length > 0) found.set(node.options.port ?? 0, keys);
  }
  return found;
}

export async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
