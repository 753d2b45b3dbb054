import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { ApiError } from './api-error';
import { authInterceptor } from './auth.interceptor';
import { AuthSession, SESSION_URL } from './auth-session';
import { errorInterceptor } from './error.interceptor';

const unauthenticated = { error: { code: 'UNAUTHENTICATED', reason: 'AUTH.TOKEN_INVALID', message: 'The token sent is not valid on this server.' } };

describe('authInterceptor and AuthSession', () => {
  let http: HttpClient;
  let ctrl: HttpTestingController;
  let session: AuthSession;
  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([errorInterceptor, authInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpClient);
    ctrl = TestBed.inject(HttpTestingController);
    session = TestBed.inject(AuthSession);
  });
  afterEach(() => ctrl.verify());

  it('a server without tokens: open, and no header is sent', async () => {
    const p = session.check();
    ctrl.expectOne(SESSION_URL).flush({ auth_required: false, principal: null });
    await p;
    expect(session.state()).toEqual({ kind: 'open' });
    const r = firstValueFrom(http.get('/api/datasets'));
    const get = ctrl.expectOne('/api/datasets');
    expect(get.request.headers.has('authorization')).toBe(false);
    get.flush({ datasets: [] });
    await r;
  });

  it('signing in keeps the token for the tab and sends it on every API request', async () => {
    const p = session.signIn(' tok-1 ');
    const req = ctrl.expectOne(SESSION_URL);
    expect([req.request.method, req.request.headers.get('authorization')]).toEqual(['POST', 'Bearer tok-1']);
    req.flush({ auth_required: true, principal: { name: 'bob', role: 'viewer' } });
    await p;
    expect(session.state()).toEqual({ kind: 'signed-in', principal: { name: 'bob', role: 'viewer' } });
    expect(sessionStorage.getItem('fts.token')).toBe('tok-1');
    const r = firstValueFrom(http.get('/api/datasets'));
    const get = ctrl.expectOne('/api/datasets');
    expect(get.request.headers.get('authorization')).toBe('Bearer tok-1');
    get.flush({ datasets: [] });
    await r;
  });

  it('a wrong token: the server sentence, nothing kept, still signed out', async () => {
    session.state.set({ kind: 'signed-out' });
    const p = session.signIn('nope');
    ctrl.expectOne(SESSION_URL).flush(unauthenticated, { status: 401, statusText: 'Unauthorized' });
    const e = await p.catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.message).toBe('The token sent is not valid on this server.');
    expect(sessionStorage.getItem('fts.token')).toBeNull();
    expect(session.state().kind).toBe('signed-out');
  });

  it('any API call answering 401 returns to the sign-in screen with the reason, and forgets the token', async () => {
    sessionStorage.setItem('fts.token', 'old');
    session.state.set({ kind: 'signed-in', principal: { name: 'a', role: 'admin' } });
    const r = firstValueFrom(http.get('/api/jobs'));
    ctrl.expectOne('/api/jobs').flush(unauthenticated, { status: 401, statusText: 'Unauthorized' });
    await r.catch(() => undefined);
    expect(session.state()).toEqual({ kind: 'signed-out', message: 'The token sent is not valid on this server.' });
    expect(sessionStorage.getItem('fts.token')).toBeNull();
  });

  it('a 403 leaves the session alone (the page shows the sentence)', async () => {
    sessionStorage.setItem('fts.token', 't');
    session.state.set({ kind: 'signed-in', principal: { name: 'bob', role: 'viewer' } });
    const r = firstValueFrom(http.post('/api/datasets', {}));
    ctrl.expectOne('/api/datasets').flush({ error: { code: 'PERMISSION_DENIED', reason: 'AUTH.ROLE_REQUIRED', message: 'Permission denied: bob …' } }, { status: 403, statusText: 'Forbidden' });
    const e = await r.catch((x) => x);
    expect(e.message).toBe('Permission denied: bob …');
    expect(session.state().kind).toBe('signed-in');
  });

  it('a tab without a token is signed out even if the server knows the cookie', async () => {
    const p = session.check();
    ctrl.expectOne(SESSION_URL).flush({ auth_required: true, principal: { name: 'bob', role: 'viewer' } });
    await p;
    expect(session.state()).toEqual({ kind: 'signed-out' });
  });

  it('sign-out forgets the token, asks the server to clear the cookie, and reloads', async () => {
    sessionStorage.setItem('fts.token', 't');
    let reloaded = false;
    const p = session.signOut(() => (reloaded = true));
    const del = ctrl.expectOne(SESSION_URL);
    expect(del.request.method).toBe('DELETE');
    del.flush(null, { status: 204, statusText: 'No Content' });
    await p;
    expect([sessionStorage.getItem('fts.token'), session.state().kind, reloaded]).toEqual([null, 'signed-out', true]);
  });
});
