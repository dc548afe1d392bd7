import { createHash } from 'node:crypto';

/**
 * A short, stable, non-reversible name for an API key, safe for logs, errors and Redis keys:
 * the key's kind (`pk` for Klaviyo private keys) and the first 8 hex digits of its SHA-256,
 * e.g. `pk_3f9a0c1d`. Two keys collide only with a 1 in 4 billion chance, which is fine for
 * naming rate-limit buckets and log lines.
 */
export function keyFingerprint(apiKey: string): string {
  const kind = /^([a-z]{2,4})_/i.exec(apiKey)?.[1]?.toLowerCase() ?? 'key';
  const digest = createHash('sha256').update(apiKey).digest('hex').slice(0, 8);
  return `${kind}_${digest}`;
}

/**
 * Replaces every occurrence of the key in text that came from elsewhere (a server's error
 * detail, a network error message) with its fingerprint, so echoed keys never reach logs.
 */
export function scrubKey(text: string, apiKey: string, fingerprint: string): string {
  if (apiKey.length < 4) return text;
  return text.split(apiKey).join(fingerprint);
}
