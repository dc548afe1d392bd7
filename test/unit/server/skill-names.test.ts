import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { skillNamesFrom } from '../../../src/server/web/trend.js';

const skill = { id: 'sk_1', name: 'returns_help', displayName: 'Returns help' };
type View = Awaited<ReturnType<Parameters<typeof skillNamesFrom>[0]>>;

describe('skillNamesFrom', () => {
  it("names a skill of an account this server runs from the agent's configuration", async () => {
    const read: string[] = [];
    const names = skillNamesFrom(
      async (accountId) => {
        read.push(accountId);
        return { skills: [skill] } as unknown as View;
      },
      ['store-a'],
      silentLogger,
    );
    expect(await names('store-a', 'sk_1')).toEqual({
      names: ['returns_help', 'Returns help'],
      label: 'Returns help',
    });
    expect(await names('store-a', 'sk_unknown')).toBeNull();
    expect(await names('store-z', 'sk_1')).toBeNull();
    expect(read).toEqual(['store-a', 'store-a']);
  });

  it('goes without names when the configuration cannot be read', async () => {
    const names = skillNamesFrom(
      () => Promise.reject(new Error('429 from Klaviyo')),
      ['store-a'],
      silentLogger,
    );
    expect(await names('store-a', 'sk_1')).toBeNull();
  });
});
