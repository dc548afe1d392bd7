// Pure (no Redis, no sockets); the lead may move it to test/unit/ with the settings.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { authenticate, toCredentials } from '../../../src/server/plugins/auth.js';
import { parseServerAuth } from '../../../src/server/settings.js';

describe('parseServerAuth', () => {
  it('reads comma-separated tokens and name:password users, trimming blanks', () => {
    expect(
      parseServerAuth({ SERVER_TOKENS: ' t1 , t2,, ', SERVER_USERS: 'ops:a:b:c, alice:pw' }),
    ).toEqual({
      tokens: ['t1', 't2'],
      users: [
        { name: 'ops', password: 'a:b:c' },
        { name: 'alice', password: 'pw' },
      ],
      admins: [],
    });
  });

  it('accepts tokens alone or users alone', () => {
    expect(parseServerAuth({ SERVER_TOKENS: 't' })).toEqual({
      tokens: ['t'],
      users: [],
      admins: [],
    });
    expect(parseServerAuth({ SERVER_USERS: 'u:p' })).toEqual({
      tokens: [],
      users: [{ name: 'u', password: 'p' }],
      admins: [],
    });
  });

  it('reads SERVER_ADMINS as user names and token:<n> positions', () => {
    const auth = parseServerAuth({
      SERVER_TOKENS: 'secret-1,secret-2',
      SERVER_USERS: 'ops:pw,alice:pw',
      SERVER_ADMINS: ' ops , token:2 ',
    });
    expect(auth.admins).toEqual(['ops', 'token:2']);
  });

  it.each([
    ['a name not in SERVER_USERS', 'bob', /"bob" \(not a SERVER_USERS name\)/],
    ['a token position past the list', 'token:3', /"token:3" \(SERVER_TOKENS has 2 token/],
    ['token zero', 'token:0', /"token:0"/],
  ])('refuses SERVER_ADMINS with %s, saying how to name admins', (_label, admins, message) => {
    const run = () =>
      parseServerAuth({
        SERVER_TOKENS: 'secret-1,secret-2',
        SERVER_USERS: 'ops:pw',
        SERVER_ADMINS: admins,
      });
    expect(run).toThrow(message);
    expect(run).toThrow(/token:<n> for the n-th SERVER_TOKENS entry/);
    expect(run).not.toThrow(/secret-/);
  });

  it.each([{}, { SERVER_TOKENS: '', SERVER_USERS: ' , ' }])(
    'refuses to run without credentials, saying how to set them (%o)',
    (env) => {
      expect(() => parseServerAuth(env)).toThrow(ConfigError);
      expect(() => parseServerAuth(env)).toThrow(/SERVER_TOKENS.*SERVER_USERS/s);
    },
  );

  it.each(['nopassword', ':pw', 'name:'])(
    'refuses a malformed user entry without echoing it (%s)',
    (entry) => {
      const run = () => parseServerAuth({ SERVER_USERS: `ok:fine,${entry}` });
      expect(run).toThrow(/name:password/);
      try {
        run();
      } catch (error) {
        expect((error as Error).message).not.toContain('fine');
      }
    },
  );
});

describe('authenticate', () => {
  const credentials = toCredentials({
    tokens: ['first', 'second'],
    users: [{ name: 'ops', password: 'pw' }],
  });
  const basic = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;

  it('names the principal without its secret', () => {
    expect(authenticate('Bearer second', credentials)).toEqual({ kind: 'token', index: 1 });
    expect(authenticate('bearer  first', credentials)).toEqual({ kind: 'token', index: 0 });
    expect(authenticate(basic('ops:pw'), credentials)).toEqual({ kind: 'user', name: 'ops' });
  });

  it.each([
    undefined,
    '',
    'Bearer',
    'Bearer firs',
    'Bearer firstx',
    basic('ops:pwx'),
    basic('ops'),
    basic('pw:ops'),
    'Digest first',
  ])('refuses %o', (header) => {
    expect(authenticate(header, credentials)).toBeUndefined();
  });
});
