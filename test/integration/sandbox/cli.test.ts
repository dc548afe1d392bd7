import { Writable } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerSandboxCommand } from '../../../cli/commands/sandbox.js';
import { ConfigError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/logger.js';

function capture() {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { out, text: () => text };
}

function program(deps: Parameters<typeof registerSandboxCommand>[1]) {
  const root = new Command('agent-trainer').exitOverride();
  registerSandboxCommand(root, deps);
  return root;
}

describe('agent-trainer sandbox', () => {
  it('prints the URL and both keys, serves requests, and stops on the shutdown signal', async () => {
    const output = capture();
    let stop: (signal: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const run = program({
      out: output.out,
      logger: silentLogger,
      waitForShutdown: () => stopped,
    }).parseAsync(['node', 'agent-trainer', 'sandbox', '--port', '0', '--rate-limits', 'scale=5']);
    for (let i = 0; i < 200 && !output.text().includes('listening on'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const url = /listening on (http:\/\/\S+)/.exec(output.text())?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output.text()).toContain('pk_sandbox_read');
    expect(output.text()).toContain('pk_sandbox_write');
    const response = await fetch(`${url}/api/agent-skills`, {
      headers: { authorization: 'Klaviyo-API-Key pk_sandbox_read', revision: '2026-07-15.pre' },
    });
    expect(response.status).toBe(200);
    stop('SIGTERM');
    await run;
    expect(output.text()).toContain('Sandbox stopped (SIGTERM).');
    await expect(fetch(`${url}/api/agent-skills`)).rejects.toThrow();
  });

  it('fails with a one-line ConfigError naming a bad option', async () => {
    const run = program({ out: capture().out, logger: silentLogger }).parseAsync([
      'node',
      'agent-trainer',
      'sandbox',
      '--rate-limits',
      'fast',
    ]);
    await expect(run).rejects.toThrow(ConfigError);
    await expect(run).rejects.toThrow(/^--rate-limits: /);
  });
});
