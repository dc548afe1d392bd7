import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startContractProxy } from '../helpers/contract-proxy.js';
import type { ContractProxy } from '../helpers/contract-proxy.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A target that records what reached it and answers in chunks with its own headers. */
async function startTarget(seen: Seen[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      if (req.method === 'DELETE') {
        res.writeHead(204).end();
        return;
      }
      res.writeHead(201, { 'content-type': 'application/vnd.api+json', 'x-target': 'yes' });
      res.write('{"data":');
      res.end('{"id":"1"}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('startContractProxy', () => {
  const seen: Seen[] = [];
  let target: { server: Server; url: string };
  let proxy: ContractProxy;

  beforeAll(async () => {
    target = await startTarget(seen);
    proxy = await startContractProxy(target.url);
  });

  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => target.server.close(resolve));
  });

  it('forwards method, path+query, headers and body bytes unchanged, and records both sides', async () => {
    const body = Buffer.from([0x7b, 0x00, 0xff, 0x10, 0x7d]);
    const url = '/api/agent-skills?page%5Bsize%5D=2&filter=equals(status,%22open%22)';
    const response = await fetch(`${proxy.url}${url}`, {
      method: 'PATCH',
      headers: {
        revision: '2026-07-15.pre',
        'x-custom': 'a b',
        'content-type': 'application/octet-stream',
      },
      body,
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-target')).toBe('yes');
    expect(await response.text()).toBe('{"data":{"id":"1"}}');

    const reached = seen.at(-1);
    expect(reached?.method).toBe('PATCH');
    expect(reached?.url).toBe(url);
    expect(reached?.headers['revision']).toBe('2026-07-15.pre');
    expect(reached?.headers['x-custom']).toBe('a b');
    expect(reached?.body.equals(body)).toBe(true);

    const exchange = proxy.exchanges.at(-1);
    expect(exchange?.request).toMatchObject({ method: 'PATCH', url });
    expect(exchange?.request.body.equals(body)).toBe(true);
    expect(exchange?.response.status).toBe(201);
    expect(exchange?.response.headers['content-type']).toBe('application/vnd.api+json');
    expect(exchange?.response.body.toString()).toBe('{"data":{"id":"1"}}');
  });

  it('relays an empty 204 and records it', async () => {
    const before = proxy.exchanges.length;
    const response = await fetch(`${proxy.url}/api/agent-skills/s1`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(proxy.exchanges.length).toBe(before + 1);
    expect(proxy.exchanges.at(-1)?.response).toMatchObject({ status: 204 });
    expect(proxy.exchanges.at(-1)?.response.body.length).toBe(0);
  });

  it('answers 502 when the target does not answer', async () => {
    const gone = await startTarget([]);
    await new Promise((resolve) => gone.server.close(resolve));
    const orphan = await startContractProxy(gone.url);
    try {
      const response = await fetch(`${orphan.url}/api/agent-skills`);
      expect(response.status).toBe(502);
      expect(orphan.exchanges).toHaveLength(1);
      expect(orphan.exchanges[0]?.response.status).toBe(502);
    } finally {
      await orphan.close();
    }
  });
});
