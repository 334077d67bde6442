/**
 * The care teams' web application (web/, built by Vite into web/dist), served from the API's own
 * origin under /app/ so that the session cookie, the CSP's 'self' and the absent CORS all line up.
 * Hashed build files (/app/assets/) are cached for a year; index.html is revalidated every time,
 * so a new build reaches browsers at once. Any other path under /app/ answers index.html: the
 * page's own router decides what to show. No built directory: no web routes, the API alone.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError } from './errors.js';

export const WEB_PREFIX = '/app/';
const ASSETS = 'assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * `<installation>/web/dist`: the nearest folder above this module that holds a package.json
 * (the repository when run from source, the same one from dist/ after `npm run build`).
 */
export function defaultWebRoot(moduleUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'web', 'dist');
    const parent = dirname(dir);
    if (parent === dir) return join(dirname(fileURLToPath(moduleUrl)), '..', 'web', 'dist');
    dir = parent;
  }
}

/** The CSP of the web application's pages: its own scripts and styles only, and the API (plus the OIDC issuer, for the token exchange). */
export function webContentSecurityPolicy(connectOrigins: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    ['connect-src', "'self'", ...connectOrigins].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * A request path under /app/ as a file inside the root, or undefined when it cannot be one: empty,
 * a dot segment or hidden name, a backslash or NUL. (fastify has decoded the wildcard already.)
 */
export function assetPath(root: string, relative: string): string | undefined {
  if (relative === '' || /[\\\0]/.test(relative)) return undefined;
  const segments = relative.split('/');
  if (segments.some((s) => s === '' || s.startsWith('.'))) return undefined;
  const full = resolve(root, ...segments);
  return full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : undefined;
}

async function isFile(path: string | undefined): Promise<boolean> {
  if (path === undefined) return false;
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export interface WebAppOptions {
  /** The built web application; undefined or without index.html: not served. */
  readonly root: string;
}

/** Registers the web routes if `root` holds a build; says in one log line which it is. */
export async function installWebApp(app: FastifyInstance, options: WebAppOptions): Promise<boolean> {
  const root = resolve(options.root);
  if (!existsSync(join(root, 'index.html'))) {
    app.log.info({ webRoot: root }, 'no built web application (web/dist/index.html): serving the API only; run npm run build:web');
    return false;
  }
  app.log.info({ webRoot: root }, `serving the web application under ${WEB_PREFIX}`);
  await app.register(webAppRoutes(root));
  return true;
}

function webAppRoutes(root: string): FastifyPluginAsync {
  return async (web) => {
    // The reply.sendFile decorator only; the routes are ours (SPA fallback, cache rules).
    await web.register(fastifyStatic, { root, serve: false, cacheControl: false, dotfiles: 'ignore' });

    const sendIndex = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html', root, { cacheControl: false });

    web.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect(WEB_PREFIX, 302));
    web.get('/app', { schema: { hide: true } }, (_request, reply) => reply.redirect(WEB_PREFIX, 302));
    web.get(`${WEB_PREFIX}*`, { schema: { hide: true } }, async (request, reply) => {
      const relative = (request.params as { '*'?: string })['*'] ?? '';
      const file = assetPath(root, relative);
      if (await isFile(file)) {
        return reply.header('cache-control', relative.startsWith(ASSETS) ? IMMUTABLE : 'no-cache').sendFile(relative, root, { cacheControl: false });
      }
      // A missing hashed file is a 404, never index.html: HTML cached for a year as a script would break the page.
      if (relative.startsWith(ASSETS)) throw new ApiError('RPM_ERR_ROUTE_NOT_FOUND', 'no such file of the web application');
      return sendIndex(reply);
    });
  };
}
