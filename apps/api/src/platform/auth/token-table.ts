import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from './access-policy.js';
import type { TokenEntry } from './token-list.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Looks a token up in constant time per entry (fixed-length digests), so timing reveals neither tokens nor their lengths. */
export class TokenTable {
  private readonly entries: { digest: Buffer; principal: Principal }[];

  constructor(entries: readonly TokenEntry[]) {
    this.entries = entries.map((e) => ({ digest: digest(e.token), principal: { name: e.name, role: e.role } }));
  }

  /** False: the server takes every request without a token. */
  get enabled(): boolean {
    return this.entries.length > 0;
  }

  identify(token: string | undefined): Principal | undefined {
    if (!token) return undefined;
    const d = digest(token);
    let found: Principal | undefined;
    for (const e of this.entries) if (timingSafeEqual(d, e.digest)) found ??= e.principal;
    return found;
  }
}

/** The token in an `authorization: Bearer <token>` value. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
  return m ? m[1].trim() : undefined;
}
