import { Controller, Delete, Get, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from './openapi/api-contract.js';
import { TOKEN_INVALID_MESSAGE, TOKEN_MISSING_MESSAGE } from '../platform/auth/access-policy.js';
import { bearerToken } from '../platform/auth/token-table.js';
import { errorBody } from './http-errors.js';
import { clearedSessionCookie, sessionCookie, type AuthenticatedRequest } from './http-auth.js';

interface ResponseLike {
  status(code: number): ResponseLike;
  setHeader(name: string, value: string): unknown;
  json(body: unknown): unknown;
  end(): unknown;
}

type SessionRequest = AuthenticatedRequest & { secure?: boolean };

const sessionOf = (req: SessionRequest) => ({
  auth_required: req.auth?.required ?? false,
  principal: req.auth?.principal ?? null,
});

/**
 * /api/auth/session: the console's sign-in. The token travels in the
 * authorization header (never a body); signing in also sets the session
 * cookie that EventSource streams authenticate with.
 */
@ApiTags('auth')
@Controller('api/auth')
export class AuthSessionHttp {
  @Get('session')
  @ApiContract({ ok: 'AuthSession' })
  get(@Req() req: SessionRequest) {
    return sessionOf(req);
  }

  @Post('session')
  @ApiContract({ ok: 'AuthSession', status: 200 })
  signIn(@Req() req: SessionRequest, @Res() res: ResponseLike) {
    if (!req.auth?.required) return res.status(200).json(sessionOf(req));
    const token = bearerToken(req.headers.authorization);
    if (!token || !req.auth.principal || req.auth.via !== 'header') {
      const missing = !token;
      res.setHeader('WWW-Authenticate', 'Bearer');
      return res
        .status(401)
        .json(errorBody('UNAUTHENTICATED', missing ? 'AUTH.TOKEN_REQUIRED' : 'AUTH.TOKEN_INVALID', missing ? TOKEN_MISSING_MESSAGE : TOKEN_INVALID_MESSAGE));
    }
    res.setHeader('Set-Cookie', sessionCookie(token, !!req.secure));
    return res.status(200).json(sessionOf(req));
  }

  @Delete('session')
  @ApiContract({ ok: null, status: 204 })
  signOut(@Req() req: SessionRequest, @Res() res: ResponseLike) {
    res.setHeader('Set-Cookie', clearedSessionCookie(!!req.secure));
    return res.status(204).end();
  }
}
