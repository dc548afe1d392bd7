import { createHmac } from 'node:crypto';

/** Slack's `v0` request signature of `body` sent at `timestamp` (seconds). */
export function signSlack(secret: string, body: string, timestamp: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** A signed, current `POST /slack/interactions` for Fastify's `inject`, carrying `payload`. */
export function slackInteraction(secret: string, payload: unknown) {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    method: 'POST' as const,
    url: '/slack/interactions',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-signature': signSlack(secret, body, timestamp),
      'x-slack-request-timestamp': String(timestamp),
    },
    payload: body,
  };
}
