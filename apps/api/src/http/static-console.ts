import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The built Angular console, relative to this file (apps/api/dist/http → apps/web/dist/web/browser). */
export const DEFAULT_WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist/web/browser');


type Req = IncomingMessage & { path?: string };
type Res = ServerResponse & { sendFile(file: string, options: object, cb: (err?: Error) => void): void };

export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fine Tuning Studio</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>Fine Tuning Studio</h1>
<p>The web console is not built. Build it with <code>npm run build:web</code> and reload this page
(or point <code>FTS_WEB_DIR</code> at a built console).</p>
<p>The HTTP API is at <a href="/api/docs">/api/docs</a>; the gRPC API is running too.</p>
</body></html>
`;

/**
 * Serves the console at `/`: its files as they are, and `index.html` for any
 * other GET without a file extension outside /api (the SPA's own routes). A
 * project without a built console gets a page that says how to build it.
 */
export function consoleMiddleware(webDir: string) {
  const index = path.join(webDir, 'index.html');
  return (req: Req, res: Res, next: (err?: unknown) => void) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname === '/api' || pathname.startsWith('/api/')) return next();
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return next();
    }
    if (rel.includes('\0')) return next();
    const hasExtension = path.posix.extname(rel) !== '';
    if (!fs.existsSync(index)) {
      if (hasExtension) return next();
      res.statusCode = 200;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'no-cache');
      res.end(req.method === 'HEAD' ? undefined : NOT_BUILT_PAGE);
      return;
    }
    const file = path.resolve(webDir, `.${rel}`);
    const inside = file === webDir || file.startsWith(webDir + path.sep);
    const isFile = inside && fs.statSync(file, { throwIfNoEntry: false })?.isFile();
    if (isFile) return res.sendFile(file, { dotfiles: 'deny', maxAge: rel.endsWith('.html') ? 0 : '1h' }, (err) => err && next(err));
    if (hasExtension) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index, {}, (err) => err && next(err));
  };
}
