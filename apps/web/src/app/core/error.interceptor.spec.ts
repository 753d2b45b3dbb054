import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { ApiError } from './api-error';
import { errorInterceptor } from './error.interceptor';

describe('errorInterceptor', () => {
  let http: HttpClient;
  let ctrl: HttpTestingController;
  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(withInterceptors([errorInterceptor])), provideHttpClientTesting()] });
    http = TestBed.inject(HttpClient);
    ctrl = TestBed.inject(HttpTestingController);
  });

  it('maps the server error body to an ApiError with its message', async () => {
    const p = firstValueFrom(http.get('/api/prompts/x'));
    ctrl.expectOne('/api/prompts/x').flush(
      { error: { code: 'NOT_FOUND', reason: 'PROMPT.NOT_FOUND', message: "Prompt with ID 'x' does not exist." } },
      { status: 404, statusText: 'Not Found' },
    );
    const e = await p.catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(404);
    expect(e.code).toBe('NOT_FOUND');
    expect(e.reason).toBe('PROMPT.NOT_FOUND');
    expect(e.message).toBe("Prompt with ID 'x' does not exist.");
  });

  it('gives a readable message when the server is unreachable', async () => {
    const p = firstValueFrom(http.get('/api/models'));
    ctrl.expectOne('/api/models').error(new ProgressEvent('error'), { status: 0 });
    const e = await p.catch((x) => x);
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.message).toMatch(/cannot be reached/);
  });

  it('falls back to the status for a body without an error object', async () => {
    const p = firstValueFrom(http.get('/api/x'));
    ctrl.expectOne('/api/x').flush('oops', { status: 500, statusText: 'Server Error' });
    const e = await p.catch((x) => x);
    expect(e.message).toBe('oops (HTTP 500)');
  });
});
