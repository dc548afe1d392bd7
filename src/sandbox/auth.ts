import { ApiProblem, invalidParameter } from './http-errors.js';
import { REVISION, type OperationDef } from './operations.js';

/** The sandbox's two private keys: one account, read-only and read/write scopes. */
export const SANDBOX_KEYS = { read: 'pk_sandbox_read', write: 'pk_sandbox_write' } as const;

/** The account both keys belong to (rate limits are counted per account). */
export const SANDBOX_ACCOUNT = 'sandbox-account';

const SCOPES: Record<string, readonly string[]> = {
  [SANDBOX_KEYS.read]: ['agents:read'],
  [SANDBOX_KEYS.write]: ['agents:read', 'agents:write'],
};

/**
 * Checks `Authorization: Klaviyo-API-Key <key>` and the operation's scope. Returns the account.
 * Error details never repeat the key.
 */
export function authorize(header: string | undefined, op: OperationDef): string {
  if (!header) {
    throw new ApiProblem(401, [
      {
        detail:
          'Missing Authorization header; send `Authorization: Klaviyo-API-Key <private key>`.',
      },
    ]);
  }
  const match = /^Klaviyo-API-Key\s+(\S+)$/.exec(header.trim());
  const scopes = match?.[1] ? SCOPES[match[1]] : undefined;
  if (!scopes) {
    throw new ApiProblem(401, [
      {
        title: 'Incorrect authentication credentials.',
        detail: match
          ? 'The private API key is not valid for this account.'
          : 'The Authorization header must have the form `Klaviyo-API-Key <private key>`.',
      },
    ]);
  }
  if (!scopes.includes(op.scope)) {
    throw new ApiProblem(403, [
      { detail: `This API key does not have the '${op.scope}' scope that this endpoint needs.` },
    ]);
  }
  return SANDBOX_ACCOUNT;
}

/** The `revision` header is required and must name the spec's revision. */
export function checkRevision(header: string | undefined): void {
  if (header === undefined || header.trim() === '') {
    throw invalidParameter(
      'revision',
      `Missing the required 'revision' header; send 'revision: ${REVISION}'.`,
    );
  }
  if (header.trim() !== REVISION) {
    throw invalidParameter(
      'revision',
      `Unknown revision '${header}'; this API serves revision '${REVISION}'.`,
    );
  }
}
