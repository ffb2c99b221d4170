// The built docs site (typedoc + guides) as a reader sees it in a real browser: every internal link
// resolves, every anchor exists, pages load without script errors, and the search finds the recipes.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocsServer, type DocsServer } from '../../scripts/docs-server.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const siteDir = join(repoRoot, 'docs/site');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The symbol partners look for first; the search must find it. */
const searchTerm = process.env.DOCS_SEARCH_TERM ?? 'onboardTenant';
const maxPages = 5_000;

let server: DocsServer;
let browser: Browser;

beforeAll(async () => {
  ensureSiteIsBuilt();
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  server = await startDocsServer({ root: siteDir });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('docs site', () => {
  it('every internal link and anchor resolves, starting from index.html', async () => {
    const origin = new URL(server.url).origin;
    const pages = new Map<string, { status: number; ids: Set<string> }>();
    const links: Array<{ from: string; to: URL }> = [];

    // Links the navigation renders with JavaScript appear only in a browser.
    for (const link of await renderedLinks(new URL('index.html', server.url).href)) {
      links.push({ from: 'index.html (rendered navigation)', to: new URL(link) });
    }

    const queue = [new URL('index.html', server.url).href];
    const queued = new Set(queue);
    while (queue.length > 0) {
      expect(pages.size, 'the crawl stays bounded').toBeLessThan(maxPages);
      const url = queue.shift()!;
      const response = await fetch(url);
      const html = response.headers.get('content-type')?.includes('text/html') ? await response.text() : '';
      pages.set(url, { status: response.status, ids: idsIn(html) });
      for (const href of hrefsIn(html)) {
        const target = new URL(href, url);
        if (target.origin !== origin) continue;
        links.push({ from: url, to: target });
        const page = withoutHash(target);
        if (!queued.has(page)) {
          queued.add(page);
          queue.push(page);
        }
      }
      // Navigation links are queued too, so pages only reachable from the sidebar are checked.
      if (queue.length === 0) {
        for (const { to } of links) {
          const page = withoutHash(to);
          if (!queued.has(page)) {
            queued.add(page);
            queue.push(page);
          }
        }
      }
    }

    const broken: string[] = [];
    for (const { from, to } of links) {
      const page = pages.get(withoutHash(to));
      const shortFrom = from.replace(server.url, '');
      const shortTo = to.href.replace(server.url, '');
      if (!page || page.status !== 200) {
        broken.push(`${shortFrom} -> ${shortTo} (HTTP ${page?.status ?? 'not fetched'})`);
      } else if (to.hash.length > 1 && !page.ids.has(decodeURIComponent(to.hash.slice(1)))) {
        broken.push(`${shortFrom} -> ${shortTo} (no element with id "${to.hash.slice(1)}")`);
      }
    }
    expect([...new Set(broken)]).toEqual([]);
    // The reference has a page per package and the guides are there.
    const paths = [...pages.keys()].map((url) => new URL(url).pathname);
    expect(paths.filter((path) => path.startsWith('/modules/_qlik-oem_')).length).toBeGreaterThanOrEqual(7);
    // And a page per subpath export a package documents (qlik-cloud's per-API entries in the folder `apis`).
    const missing = subpathModules().filter(
      ({ page, apiPage }) => !paths.includes(`/modules/${page}`) && !paths.includes(`/modules/${apiPage}`),
    );
    expect(missing.map(({ entry }) => entry)).toEqual([]);
    const guides = readdirSync(join(repoRoot, 'docs/guides')).filter((name) => name.endsWith('.md'));
    expect(paths.filter((path) => path.startsWith('/documents/')).length).toBeGreaterThanOrEqual(guides.length);
  });

  it('pages load in the browser without script errors', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    for (const path of ['index.html', 'modules.html', 'documents/Getting_started.html']) {
      const response = await page.goto(new URL(path, server.url).href, { waitUntil: 'load' });
      expect(response?.status(), path).toBe(200);
    }
    await page.close();
    expect(errors).toEqual([]);
  });

  it(`the search box finds ${searchTerm}`, async () => {
    // The API reference entry, not only the guide that has the name in its title.
    await expectSearchToFind(searchTerm, 'h1, h2, h3', (href) => !href.includes('documents/'));
  });

  it('the search box finds the guides', async () => {
    await expectSearchToFind('Fleets and rate limits', 'h1', (href) => href.includes('documents/'));
  });
});

/**
 * Every `exports` subpath of the published packages but `./package.json` and executables (the simulator's
 * `./cli`), with the module page typedoc names it by: `<pkg>.<subpath>`, or `<pkg>.apis_<subpath>` for an API.
 */
function subpathModules(): Array<{ entry: string; page: string; apiPage: string }> {
  return readdirSync(join(repoRoot, 'packages')).flatMap((dir) => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'packages', dir, 'package.json'), 'utf8')) as {
      name: string;
      private?: boolean;
      bin?: unknown;
      exports?: Record<string, unknown>;
    };
    if (pkg.private) return [];
    const prefix = pkg.name.replace('@', '_').replace('/', '_');
    return Object.keys(pkg.exports ?? {})
      .filter((subpath) => subpath !== '.' && subpath !== './package.json' && subpath !== './cli')
      .map((subpath) => {
        const name = subpath.slice(2);
        return { entry: `${pkg.name}/${name}`, page: `${prefix}.${name}.html`, apiPage: `${prefix}.apis_${name}.html` };
      });
  });
}

/** Types `term` into typedoc's search box, follows the matching result, and checks the page it lands on. */
async function expectSearchToFind(
  term: string,
  headingSelector: string,
  acceptHref: (href: string) => boolean,
): Promise<void> {
  const page = await browser.newPage();
  try {
    const start = new URL('index.html', server.url).href;
    await page.goto(start, { waitUntil: 'load' });
    await page.click('#tsd-search-trigger');
    await page.fill('#tsd-search-input', term);
    await page
      .locator('#tsd-search-results li a')
      .first()
      .waitFor({ state: 'visible', timeout: 10_000 })
      .catch(() => undefined);
    const candidates = page.locator('#tsd-search-results li a').filter({ hasText: term });
    const hrefs = await candidates.evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
    const index = hrefs.findIndex(acceptHref);
    if (index < 0) {
      const shown = await page
        .locator('#tsd-search-results li a')
        .evaluateAll((anchors) =>
          anchors.map(
            (anchor) =>
              `${(anchor.textContent ?? '').trim().replace(/\s+/g, ' ')} (${anchor.getAttribute('href') ?? ''})`,
          ),
        );
      throw new Error(`The site search found no suitable result for "${term}". It showed: ${JSON.stringify(shown)}`);
    }
    await candidates.nth(index).click();
    await page.waitForURL((url) => url.href !== start, { timeout: 10_000 });
    await page
      .locator(headingSelector)
      .filter({ hasText: term })
      .first()
      .waitFor({ state: 'visible', timeout: 10_000 });
  } finally {
    await page.close();
  }
}

/** All hrefs on a page after its scripts have run (typedoc builds the sidebar client-side). */
async function renderedLinks(url: string): Promise<string[]> {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('#tsd-nav-container a', { state: 'attached', timeout: 10_000 });
  const hrefs = await page.$$eval('a[href]', (anchors) => anchors.map((anchor) => (anchor as HTMLAnchorElement).href));
  await page.close();
  return hrefs;
}

function hrefsIn(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*?href="([^"]*)"/gi)]
    .map((match) => decodeEntities(match[1] ?? ''))
    .filter((href) => href !== '' && !/^(mailto|javascript|data):/i.test(href));
}

function idsIn(html: string): Set<string> {
  return new Set([...html.matchAll(/\s(?:id|name)="([^"]+)"/gi)].map((match) => decodeEntities(match[1] ?? '')));
}

function decodeEntities(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

function withoutHash(url: URL): string {
  const copy = new URL(url);
  copy.hash = '';
  return copy.href;
}

/**
 * Builds the site when it is missing or older than its inputs, so the test never checks a stale site.
 * DOCS_SITE_PREBUILT=1 (CI, right after `npm run docs:build`) checks the site as it is.
 */
function ensureSiteIsBuilt(): void {
  const index = join(siteDir, 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (process.env.DOCS_SITE_PREBUILT === '1') {
    if (builtAt === 0) throw new Error(`DOCS_SITE_PREBUILT=1 but ${index} does not exist. Run \`npm run docs:build\`.`);
    return;
  }
  const inputs = [
    join(repoRoot, 'docs/index.md'),
    join(repoRoot, 'typedoc.json'),
    ...files(join(repoRoot, 'docs/guides')),
  ];
  for (const pkg of readdirSync(join(repoRoot, 'packages'))) {
    inputs.push(...files(join(repoRoot, 'packages', pkg, 'src')));
    inputs.push(join(repoRoot, 'packages', pkg, 'README.md'));
  }
  const newest = Math.max(...inputs.filter((path) => existsSync(path)).map((path) => statSync(path).mtimeMs));
  if (builtAt > newest) return;
  try {
    execFileSync(process.execPath, [join(repoRoot, 'node_modules/typedoc/bin/typedoc')], {
      cwd: repoRoot,
      stdio: 'pipe',
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
  } catch (error) {
    const output = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `Building the docs site failed (run \`npm run docs:build\` to see it):\n${output.stdout?.toString() ?? ''}${output.stderr?.toString() ?? ''}`,
      { cause: error },
    );
  }
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}
