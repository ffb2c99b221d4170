// Headless Chromium for the page tests: Debian's chromium (or CHROMIUM_PATH), and where screenshots are kept.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** CI keeps this directory's screenshots as artifacts. */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../artifacts/', import.meta.url));

export function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath))
    throw new Error(
      `Chromium not found at ${executablePath}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  return chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}
