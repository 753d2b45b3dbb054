/**
 * Who may do what, as pure decisions: roles, the role each gRPC method or HTTP
 * request needs, and the sentences a refusal carries. No I/O here.
 */

/** viewer reads; editor also writes and runs jobs; admin also imports, replays and changes settings. */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/** The person or program a token stands for: its name is the actor recorded on every event it causes. */
export interface Principal {
  name: string;
  role: Role;
}

export const allows = (have: Role, need: Role): boolean => ROLES.indexOf(have) >= ROLES.indexOf(need);

/** gRPC methods that change nothing; every other method writes (editor) unless it is listed as admin-only. */
const GRPC_READ = /^(List|Get|Watch)[A-Z]|^ExportDatabase$/;
const GRPC_ADMIN = new Set(['ImportDatabase']);

export function requiredRoleForGrpc(method: string): Role {
  if (GRPC_ADMIN.has(method)) return 'admin';
  return GRPC_READ.test(method) ? 'viewer' : 'editor';
}

/** Paths whose writes are admin-only: database import, replay, settings. */
const HTTP_ADMIN = /^\/api\/(database\/import|replay|settings)(\/|$)/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isSafeMethod = (method: string | undefined): boolean => SAFE_METHODS.has((method ?? 'GET').toUpperCase());

export function requiredRoleForHttp(method: string | undefined, path: string): Role {
  if (isSafeMethod(method)) return 'viewer';
  return HTTP_ADMIN.test(path) ? 'admin' : 'editor';
}

const WHAT_ROLE_DOES: Record<Role, string> = {
  viewer: 'can only read',
  editor: 'can read, write and run jobs',
  admin: 'can do everything',
};

/** The sentence of a PERMISSION_DENIED / 403: who, what they may do, and what the action needs. */
export function denialMessage(who: Principal, action: string, need: Role): string {
  return `Permission denied: ${who.name} has the ${who.role} role, which ${WHAT_ROLE_DOES[who.role]}; ${action} needs the ${need} role.`;
}

export const TOKEN_MISSING_MESSAGE = 'This server requires a token: send "authorization: Bearer <token>" (the console asks for it on its sign-in screen).';
export const TOKEN_INVALID_MESSAGE = 'The token sent is not valid on this server: check it, or ask its administrator for one.';

/** The outcome of checking one request. */
export type AccessDecision =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'missing' | 'invalid' | 'forbidden'; message: string };

/** Decides one request from the principal its token names (undefined: no valid token) and the role it needs. */
export function decideAccess(token: string | undefined, principal: Principal | undefined, action: string, need: Role): AccessDecision {
  if (!token) return { ok: false, reason: 'missing', message: TOKEN_MISSING_MESSAGE };
  if (!principal) return { ok: false, reason: 'invalid', message: TOKEN_INVALID_MESSAGE };
  if (!allows(principal.role, need)) return { ok: false, reason: 'forbidden', message: denialMessage(principal, action, need) };
  return { ok: true, principal };
}

/** Loopback addresses: a server bound elsewhere is reachable by others. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
}

/** The start-up warning for a non-loopback binding without any token; undefined when there is nothing to warn about. */
export function exposureWarning(binds: { name: string; host: string }[], authOn: boolean): string | undefined {
  if (authOn) return undefined;
  const exposed = binds.filter((b) => !isLoopbackHost(b.host));
  if (!exposed.length) return undefined;
  const where = exposed.map((b) => `${b.name} on ${b.host}`).join(' and ');
  return `${where} without a token: anyone who can reach this address can read and change everything. Set FTS_AUTH_TOKEN or FTS_AUTH_TOKENS.`;
}
