import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * A real headless Chromium for page tests: Debian's `chromium` (what `.ci/run` installs), or
 * CHROMIUM_PATH. Without one, the browser tests are skipped locally with a note, and fail in CI.
 */

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const hasChromium = existsSync(CHROMIUM_PATH);

if (!hasChromium && process.env['CI']) {
  throw new Error(
    `No Chromium at ${CHROMIUM_PATH}: install Debian's chromium (bash .ci/run does) or set CHROMIUM_PATH.`,
  );
}
if (!hasChromium) {
  console.warn(
    `Skipping browser tests: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH).`,
  );
}

/**
 * Launches Chromium (Playwright gives it a throwaway profile). The flags keep it off the network
 * it would otherwise call at start (updates, sync, Google lookups), which CI machines refuse.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
