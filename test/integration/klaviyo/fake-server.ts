import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake server saw it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait this long before answering (a slow server). */
  delayMs?: number;
}

/** `'drop'` destroys the connection without an answer. */
export type FakeReply = FakeResponse | 'drop';
export type FakeHandler = (req: RecordedRequest, hit: number) => FakeReply | Promise<FakeReply>;

export interface FakeServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A scripted HTTP server on 127.0.0.1 (port 0 unless given) that records every request and
 * answers what the handler returns. `hit` counts requests from 1.
 */
export async function startFakeServer(handler: FakeHandler, port = 0): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      const parsed = new URL(url, 'http://fake.invalid');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url,
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
        at,
      };
      requests.push(recorded);
      void Promise.resolve(handler(recorded, requests.length)).then(async (reply) => {
        if (reply === 'drop') {
          req.socket.destroy();
          return;
        }
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        if (res.destroyed) return;
        res.statusCode = reply.status ?? 200;
        res.setHeader('content-type', 'application/vnd.api+json');
        for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Finds a port with nothing listening on it (listen on 0, then close). */
export async function freePort(): Promise<number> {
  const server = await startFakeServer(() => ({}));
  const { port } = server;
  await server.close();
  return port;
}

const NOW = '2026-07-01T00:00:00+00:00';

/** Minimal valid resources for responses. */
export const fixtures = {
  skill: (id: string) => ({
    type: 'agent-skill',
    id,
    attributes: {
      source: 'custom',
      display_name: `Skill ${id}`,
      name: id,
      description: 'd',
      instructions: 'i',
      status: 'live',
      handoff: 'none',
      created_at: NOW,
      updated_at: NOW,
    },
    relationships: { 'agent-tools': { data: [] } },
    links: { self: `https://a.klaviyo.com/api/agent-skills/${id}` },
  }),
  conversation: (id: string, status = 'open') => ({
    type: 'customer-agent-conversation',
    id,
    attributes: { status, created_at: NOW, updated_at: NOW },
    links: { self: `https://a.klaviyo.com/api/customer-agent-conversations/${id}` },
  }),
  knowledge: (id: string) => ({
    type: 'agent-knowledge',
    id,
    attributes: {
      source: { source_type: 'snippet', title: 't', content: 'c' },
      status: 'pending',
      created_at: NOW,
      updated_at: NOW,
    },
  }),
  agentResponse: (conversationId: string) => ({
    type: 'customer-agent-response',
    id: conversationId,
    attributes: {
      conversation_id: conversationId,
      events: [{ type: 'message', role: 'agent', content: 'Hello!' }],
    },
  }),
};
