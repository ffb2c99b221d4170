// A tiny static file server for the built docs site (docs/site). No dependencies.
// Used by `npm run docs` (build + serve) and by test/docs/site.test.ts.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

/**
 * Serve `root` over HTTP. Resolves once listening.
 * @param {{ root: string, host?: string, port?: number }} options
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startDocsServer({ root, host = '127.0.0.1', port = 0 }) {
  const base = resolve(root);
  const server = createServer(async (request, response) => {
    try {
      const { pathname } = new URL(request.url ?? '/', 'http://localhost');
      const path = await resolveFile(base, decodeURIComponent(pathname));
      if (!path || (request.method !== 'GET' && request.method !== 'HEAD')) {
        response.writeHead(path ? 405 : 404, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(path ? 'Method not allowed' : 'Not found');
        return;
      }
      const body = await readFile(path);
      response.writeHead(200, {
        'content-type': contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-cache',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Bad request');
    }
  });
  await new Promise((ready, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ready(undefined));
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${actualPort}/`,
    close: () => new Promise((done) => server.close(() => done(undefined))),
  };
}

// Maps a URL path to a file under `base`; directories serve their index.html. Never leaves `base`.
async function resolveFile(base, urlPath) {
  const candidate = normalize(join(base, urlPath));
  if (candidate !== base && !candidate.startsWith(base + sep)) return undefined;
  const info = await stat(candidate).catch(() => undefined);
  if (info?.isFile()) return candidate;
  if (info?.isDirectory()) {
    const index = join(candidate, 'index.html');
    const indexInfo = await stat(index).catch(() => undefined);
    if (indexInfo?.isFile()) return index;
  }
  return undefined;
}

// CLI: node scripts/docs-server.mjs [--port 8080] [--root docs/site]
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 && args[index + 1] ? args[index + 1] : fallback;
  };
  const root = option('root', fileURLToPath(new URL('../docs/site', import.meta.url)));
  const port = Number(option('port', process.env.PORT ?? '8080'));
  const indexInfo = await stat(join(root, 'index.html')).catch(() => undefined);
  if (!indexInfo) {
    console.error(`No built site in ${root}. Run \`npm run docs:build\` first.`);
    process.exit(1);
  }
  const { url } = await startDocsServer({ root, port });
  console.log(`Docs site: ${url}  (Ctrl+C to stop)`);
}
