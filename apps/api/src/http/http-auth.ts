import type { IncomingMessage, ServerResponse } from 'node:http';
import { decideAccess, isSafeMethod, requiredRoleForHttp, type Principal, type Role } from '../platform/auth/access-policy.js';
import { bearerToken, type TokenTable } from '../platform/auth/token-table.js';
import { errorBody } from './http-errors.js';

/** The console's sign-in endpoint: POST signs in (sets the cookie), GET says who is signed in, DELETE signs out. */
export const SESSION_PATH = '/api/auth/session';
/** HttpOnly, SameSite=Strict, scoped to /api: what EventSource (which cannot set headers) authenticates with. */
export const SESSION_COOKIE = 'fts_session';
/** Answered without a token: liveness, and signing in or out. */
const PUBLIC_API = new Set(['/api/health', SESSION_PATH]);
/** Routes read by EventSource: `?access_token=` stands for the bearer token there. */
const SSE_PATH = /^\/api\/(events\/stream|jobs\/[^/]+\/(updates|logs\/stream))\/?$/;

/** How the request proved who it is. */
export type CredentialSource = 'header' | 'query' | 'cookie';

/** What the auth middleware found, on every request it passed on. */
export interface RequestAuth {
  /** False: the server has no token and takes every request. */
  required: boolean;
  principal?: Principal;
  via?: CredentialSource;
}

export type AuthenticatedRequest = IncomingMessage & { auth?: RequestAuth };

export const pathOf = (req: IncomingMessage): string => (req.url ?? '/').split('?')[0];

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * The token a request carries: the bearer header; else `?access_token=` on
 * an SSE route; else the session cookie, but only on a safe method. A cookie
 * is sent by the browser on its own, so it must never authorize a change
 * (that is the CSRF defence, on top of SameSite=Strict): writes need the
 * header, which another site cannot make a browser send.
 */
export function credentialOf(req: IncomingMessage): { token?: string; via?: CredentialSource } {
  const header = bearerToken(req.headers.authorization);
  if (header) return { token: header, via: 'header' };
  const path = pathOf(req);
  if (SSE_PATH.test(path)) {
    const q = new URL(req.url ?? '/', 'http://localhost').searchParams.get('access_token');
    if (q) return { token: q, via: 'query' };
  }
  if (isSafeMethod(req.method)) {
    const c = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (c) return { token: c, via: 'cookie' };
  }
  return {};
}

const hasBody = (req: IncomingMessage) => Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
/** The largest body any route takes (a database import). */
const LARGEST_BODY_BYTES = 64 * 1024 * 1024;

const ADMIN_ACTIONS: [RegExp, string][] = [
  [/^\/api\/database\/import/, 'importing a database'],
  [/^\/api\/replay/, 'replaying the log'],
  [/^\/api\/settings/, 'changing settings'],
];

/** What a refused request was trying to do, in words a console user reads. */
function actionOf(method: string | undefined, path: string, need: Role): string {
  if (need === 'admin') return ADMIN_ACTIONS.find(([re]) => re.test(path))?.[1] ?? `${method} ${path}`;
  return isSafeMethod(method) ? 'reading this' : 'this change';
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, code: string, reason: string, message: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  // The body is never read. Node discards what still arrives (nothing is buffered), so a client that sends
  // its whole body first still reads this answer; a body longer than any route takes, or of unknown length,
  // is not worth receiving: the connection closes.
  const length = Number(req.headers['content-length'] ?? 0);
  if (req.headers['transfer-encoding'] !== undefined || length > LARGEST_BODY_BYTES) res.setHeader('Connection', 'close');
  res.end(JSON.stringify(errorBody(code, reason, message)));
}

/**
 * The first middleware of the HTTP server, before any body parser: with
 * tokens, every /api route and every request that carries a body is
 * authenticated and its role checked from the method and path alone, so a
 * refused body is never read, let alone inflated. Files of the console are
 * served to anyone (its sign-in screen must load).
 */
export function httpAuthMiddleware(tokens: TokenTable) {
  return (req: AuthenticatedRequest, res: ServerResponse, next: () => void): void => {
    if (!tokens.enabled) {
      req.auth = { required: false };
      return next();
    }
    const path = pathOf(req);
    const { token, via } = credentialOf(req);
    const principal = tokens.identify(token);
    req.auth = { required: true, principal, via: principal ? via : undefined };
    if (PUBLIC_API.has(path)) {
      if (hasBody(req)) return refuse(req, res, 400, 'INVALID_ARGUMENT', 'HTTP.BODY_NOT_ALLOWED', `${path} takes no body: send the token as "authorization: Bearer <token>".`);
      return next();
    }
    if (!path.startsWith('/api') && isSafeMethod(req.method) && !hasBody(req)) return next();
    const need = requiredRoleForHttp(req.method, path);
    const decision = decideAccess(token, principal, actionOf(req.method, path, need), need);
    if (decision.ok) return next();
    if (decision.reason === 'forbidden') return refuse(req, res, 403, 'PERMISSION_DENIED', 'AUTH.ROLE_REQUIRED', decision.message);
    return refuse(req, res, 401, 'UNAUTHENTICATED', decision.reason === 'missing' ? 'AUTH.TOKEN_REQUIRED' : 'AUTH.TOKEN_INVALID', decision.message);
  };
}

/** The Set-Cookie value that signs the browser in for this session (no Max-Age: gone when the browser closes). */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/api; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export const clearedSessionCookie = (secure: boolean): string =>
  `${SESSION_COOKIE}=; Path=/api; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
