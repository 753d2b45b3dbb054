import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, throwError } from 'rxjs';
import { API_BASE } from './api';
import { toApiError } from './api-error';
import { AuthSession, SESSION_URL } from './auth-session';

/**
 * Sends the tab's token on every API request, and turns any 401 (except from
 * the sign-in call itself, which reports its own failure) into the sign-in screen.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const session = inject(AuthSession);
  const token = session.token();
  const isApi = req.url.startsWith(API_BASE + '/');
  const out = isApi && token && !req.headers.has('authorization') ? req.clone({ setHeaders: { authorization: `Bearer ${token}` } }) : req;
  return next(out).pipe(
    catchError((e: unknown) => {
      if (isApi && e instanceof HttpErrorResponse && e.status === 401 && req.url !== SESSION_URL) session.expired(toApiError(e).message);
      return throwError(() => e);
    }),
  );
};
