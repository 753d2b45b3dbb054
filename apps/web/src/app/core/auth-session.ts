import { HttpClient, HttpHeaders } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { API_BASE } from './api';
import { errorMessage } from './api-error';
import type { Schemas } from './models';

/** GET/POST /api/auth/session. */
export type SessionInfo = Schemas['AuthSession'];
export type Principal = NonNullable<SessionInfo['principal']>;
export type Role = Principal['role'];

export type AuthState =
  | { kind: 'checking' }
  /** The server takes requests without a token. */
  | { kind: 'open' }
  | { kind: 'signed-out'; message?: string }
  | { kind: 'signed-in'; principal: Principal };

export const SESSION_URL = `${API_BASE}/auth/session`;
const TOKEN_KEY = 'fts.token';

/** sessionStorage when the browser has it (kept for this tab only), else nothing is kept. */
function tabStorage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

/**
 * Who the console is signed in as. The token is kept for the tab
 * (sessionStorage) and sent as a bearer header on every request (auth
 * interceptor); signing in also makes the server set an HttpOnly session
 * cookie, which is what EventSource streams authenticate with.
 */
@Injectable({ providedIn: 'root' })
export class AuthSession {
  readonly state = signal<AuthState>({ kind: 'checking' });
  private readonly http = inject(HttpClient);

  token(): string | null {
    return tabStorage()?.getItem(TOKEN_KEY) ?? null;
  }

  /** Asks the server whether it needs a token and, if this tab has one, whether it still holds. */
  async check(): Promise<void> {
    try {
      const s = await firstValueFrom(this.http.get<SessionInfo>(SESSION_URL));
      if (!s.auth_required) this.state.set({ kind: 'open' });
      else if (s.principal && this.token()) this.state.set({ kind: 'signed-in', principal: s.principal });
      else this.state.set({ kind: 'signed-out' });
    } catch (e) {
      this.state.set({ kind: 'signed-out', message: errorMessage(e) });
    }
  }

  /** Resolves once signed in; rejects with the server's sentence (a wrong token) and keeps nothing. */
  async signIn(token: string): Promise<void> {
    const headers = new HttpHeaders({ authorization: `Bearer ${token.trim()}` });
    const s = await firstValueFrom(this.http.post<SessionInfo>(SESSION_URL, null, { headers }));
    if (!s.auth_required) {
      this.state.set({ kind: 'open' });
      return;
    }
    tabStorage()?.setItem(TOKEN_KEY, token.trim());
    this.state.set({ kind: 'signed-in', principal: s.principal! });
  }

  /** An API call answered 401: the token is gone or no longer valid. */
  expired(message: string): void {
    if (this.state().kind === 'open') return;
    tabStorage()?.removeItem(TOKEN_KEY);
    this.state.set({ kind: 'signed-out', message });
  }

  /**
   * Forgets the token and has the server clear the cookie, then reloads the
   * page: nothing the previous user loaded (stores, open streams) survives.
   */
  async signOut(reload: () => void = () => globalThis.location.reload()): Promise<void> {
    tabStorage()?.removeItem(TOKEN_KEY);
    await firstValueFrom(this.http.delete(SESSION_URL)).catch(() => undefined);
    this.state.set({ kind: 'signed-out' });
    reload();
  }
}
