import { verifySlackRequest } from '@slack/bolt';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { handleInteraction, type InteractionHandlerOptions } from '../../slack/interactions.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { RedisConnection } from '../../redis.js';
import { controlKey, DEFAULT_STORE_PREFIX, storePrefix } from '../../store/keys.js';
// For the `config.public` route option the auth plugin declares.
import type {} from './auth.js';

/**
 * `POST /slack/interactions`: Slack's button clicks and modal submissions. Every request is
 * verified (signature, timestamp within five minutes either way, never seen before) before its
 * payload is read, and answered within Slack's 3 s: the store work is Redis-fast and the Slack Web
 * API calls are bounded (see interactions.ts).
 */

export interface SlackInteractionsOptions extends Omit<
  InteractionHandlerOptions,
  'respond' | 'logger'
> {
  /** The Slack app's signing secret; never logged. */
  signingSecret: string;
  /** Where seen signatures are kept for replay protection. */
  redis: RedisConnection;
  /**
   * Store prefix for the seen-signature keys (not `prefix`: Fastify reads that as a route prefix).
   * @defaultValue 'agent-trainer'
   */
  keyPrefix?: string;
  /** @defaultValue () => new Date() */
  now?: () => Date;
  logger?: Logger;
  /**
   * Which `response_url`s may be posted to (they come from the signed payload, but we still only
   * talk to Slack). @defaultValue URLs under https://hooks.slack.com/
   */
  allowResponseUrl?: (url: string) => boolean;
}

/** Requests older or newer than this are refused (Slack's own rule is five minutes). */
const MAX_SKEW_SECONDS = 5 * 60;
/** Seen signatures are kept longer than the skew window, so a replay is always caught. */
const SEEN_TTL_SECONDS = 600;
const RESPONSE_TIMEOUT_MS = 5000;

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function unauthorized(reply: FastifyReply): FastifyReply {
  return reply.code(401).send({ error: 'invalid_request_signature' });
}

/** The Fastify plugin; register it in its own scope (it adds a form-body parser there). */
export const slackInteractions: FastifyPluginAsync<SlackInteractionsOptions> = async (
  fastify,
  options,
) => {
  const logger = options.logger ?? silentLogger;
  const isFresh = freshRequestCheck(options);
  const allowResponseUrl =
    options.allowResponseUrl ?? ((url: string) => url.startsWith('https://hooks.slack.com/'));
  const handlerOptions: InteractionHandlerOptions = {
    ...options,
    respond: responder(allowResponseUrl, logger),
    logger,
  };

  // The signature covers the raw body, so it must reach the route unparsed.
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 1024 * 1024 },
    (_request, body, done) => done(null, body),
  );

  // Public to the server's bearer/Basic auth: Slack cannot send those; the signature is the auth.
  fastify.post('/slack/interactions', { config: { public: true } }, async (request, reply) => {
    const body = typeof request.body === 'string' ? request.body : '';
    if (!(await isFresh(body, request.headers))) return unauthorized(reply);
    const payload = interactionPayload(body);
    if (payload === undefined) return reply.code(400).send({ error: 'invalid_payload' });
    const answer = await handleInteraction(payload, handlerOptions);
    return answer === undefined ? reply.code(200).send() : reply.code(200).send(answer);
  });
};

/**
 * Whether a request is Slack's and new: signed with the signing secret, its timestamp within
 * five minutes either way, and its signature never seen before (kept in Redis for a while).
 */
function freshRequestCheck(options: SlackInteractionsOptions) {
  const now = options.now ?? (() => new Date());
  const prefix = storePrefix({ prefix: options.keyPrefix ?? DEFAULT_STORE_PREFIX });
  return async (body: string, headers: FastifyRequest['headers']): Promise<boolean> => {
    const signature = header(headers['x-slack-signature']);
    const timestamp = Number(header(headers['x-slack-request-timestamp']));
    const nowMs = now().getTime();
    if (signature === undefined || !Number.isFinite(timestamp)) return false;
    // Bolt only refuses old timestamps; a future one would let a captured request live longer.
    if (Math.abs(nowMs / 1000 - timestamp) > MAX_SKEW_SECONDS) return false;
    try {
      verifySlackRequest({
        signingSecret: options.signingSecret,
        body,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: nowMs,
      });
    } catch {
      return false;
    }
    const fresh = await options.redis.set(
      controlKey(prefix, 'slack-seen', signature),
      '1',
      'EX',
      SEEN_TTL_SECONDS,
      'NX',
    );
    return fresh !== null;
  };
}

/** The JSON of the form's `payload` field, or undefined when it is not JSON. */
function interactionPayload(body: string): unknown {
  const raw = new URLSearchParams(body).get('payload');
  try {
    return JSON.parse(raw ?? '') as unknown;
  } catch {
    return undefined;
  }
}

/** Says something only the clicking user sees, through an allowed `response_url`; never throws. */
function responder(allowResponseUrl: (url: string) => boolean, logger: Logger) {
  return (responseUrl: string | undefined, text: string): void => {
    if (responseUrl === undefined || !allowResponseUrl(responseUrl)) return;
    fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
      signal: AbortSignal.timeout(RESPONSE_TIMEOUT_MS),
    }).catch((error: unknown) => logger.warn({ err: error }, 'Slack response_url post failed'));
  };
}
