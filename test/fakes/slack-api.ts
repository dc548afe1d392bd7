import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local fake of Slack's Web API (and of `response_url` hooks) for tests: point `WebClient` at
 * `apiUrl` (`http://127.0.0.1:<port>/api/`). It records every call with its decoded arguments
 * (JSON-valued form fields such as `blocks` and `view` are parsed) and answers like Slack:
 * `chat.postMessage` → `{ ok, channel, ts }`, `chat.update`, `views.open`, `auth.test`, and
 * `conversations.history` (the channel's top-level messages posted here, newest first, with their
 * metadata when `include_all_metadata` is set).
 * `response_url` posts go to `hookUrl(name)` and are recorded with method `hook:<name>`.
 */

export interface RecordedSlackCall {
  method: string;
  args: Record<string, unknown>;
  /** The bearer token sent, if any. */
  token: string | undefined;
}

export interface FakeSlackApi {
  apiUrl: string;
  /** A `response_url` served by the fake. */
  hookUrl(name: string): string;
  calls: RecordedSlackCall[];
  /** Calls of one method. */
  callsOf(method: string): RecordedSlackCall[];
  /** Makes the next call of `method` answer `{ ok: false, error }`. */
  failNext(method: string, error: string): void;
  close(): Promise<void>;
}

const JSON_FIELDS = ['blocks', 'view', 'attachments', 'metadata'];

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function decodeArgs(contentType: string | undefined, raw: string): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = JSON_FIELDS.includes(key) ? (JSON.parse(value) as unknown) : value;
  }
  return args;
}

function send(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Starts the fake on 127.0.0.1 and a random port. */
export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: RecordedSlackCall[] = [];
  const failures = new Map<string, string>();
  const posted: { channel: unknown; ts: string; text: unknown; metadata: unknown }[] = [];
  let seq = 0;
  const answer = (method: string, args: Record<string, unknown>): unknown => {
    const error = failures.get(method);
    if (error !== undefined) {
      failures.delete(method);
      return { ok: false, error };
    }
    seq += 1;
    switch (method) {
      case 'chat.postMessage': {
        const ts = `1700000000.${String(seq).padStart(6, '0')}`;
        if (args['thread_ts'] === undefined) {
          posted.push({
            channel: args['channel'],
            ts,
            text: args['text'],
            metadata: args['metadata'],
          });
        }
        return { ok: true, channel: args['channel'], ts };
      }
      case 'conversations.history': {
        const withMetadata = String(args['include_all_metadata']) === 'true';
        const messages = posted
          .filter((m) => m.channel === args['channel'])
          .reverse()
          .map(({ ts, text, metadata }) => ({
            type: 'message',
            ts,
            text,
            ...(withMetadata && metadata !== undefined ? { metadata } : {}),
          }));
        return { ok: true, messages, has_more: false };
      }
      case 'chat.update':
        return { ok: true, channel: args['channel'], ts: args['ts'] };
      case 'views.open':
        return { ok: true, view: { id: `V${seq}`, ...(args['view'] as object) } };
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const args = decodeArgs(req.headers['content-type'], raw);
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
      if (path.startsWith('/hooks/')) {
        calls.push({ method: `hook:${path.slice('/hooks/'.length)}`, args, token });
        send(res, { ok: true });
        return;
      }
      const method = path.replace(/^\/api\//, '');
      calls.push({ method, args, token });
      send(res, answer(method, args));
    })().catch(() => {
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${base}/api/`,
    hookUrl: (name) => `${base}/hooks/${name}`,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    failNext: (method, error) => failures.set(method, error),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}
