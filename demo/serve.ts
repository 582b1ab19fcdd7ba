// Serves the built demo dapp (demo/dist) on 127.0.0.1. `npm run demo:serve` builds it and serves
// it on FUNCTOR_DEMO_PORT (default 5173); other scripts import `serveDemo` (port 0: any free one).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEMO_DIST = path.join(here, 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

/** `vite build --config demo/vite.config.ts`, from code. */
export async function buildDemo(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(here, 'vite.config.ts'), logLevel: 'warn' });
}

export async function serveDemo(opts: { port?: number; build?: boolean } = {}): Promise<{ url: string; stop: () => Promise<void> }> {
  if (opts.build || !existsSync(path.join(DEMO_DIST, 'index.html'))) await buildDemo();
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = path.join(DEMO_DIST, pathname);
    // Nothing outside dist; unknown paths get the page (its routes live in the hash anyway).
    if (!file.startsWith(DEMO_DIST + path.sep) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(DEMO_DIST, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  const port = opts.port ?? Number(process.env.FUNCTOR_DEMO_PORT ?? 5173);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new Error(`Port ${port} is taken: set FUNCTOR_DEMO_PORT`) : e));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const demo = await serveDemo({ build: true });
  console.log(`Functor demo dapp: ${demo.url}
  devnet JSON read from http://127.0.0.1:8549/devnet.json (npm run devnet), or ${demo.url}?devnet=URL
  Ctrl-C stops it.`);
  const stop = () => void demo.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
