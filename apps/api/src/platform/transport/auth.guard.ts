import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { status as GrpcStatus, type Metadata } from '@grpc/grpc-js';
import { timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { GrpcRefusal } from '../errors/grpc-exception.filter.js';

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** When FTS_AUTH_TOKEN is set, every gRPC call must carry `authorization: Bearer <token>`. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    const token = this.config.authToken;
    if (!token) return true;
    if (ctx.getType() === 'rpc') {
      const md = ctx.switchToRpc().getContext<Metadata>();
      const header = String(md?.get?.('authorization')?.[0] ?? '');
      if (same(header, `Bearer ${token}`)) return true;
      throw new GrpcRefusal(GrpcStatus.UNAUTHENTICATED, 'This server requires a token: send the metadata "authorization: Bearer <FTS_AUTH_TOKEN>".');
    }
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    return same(String(req.headers.authorization ?? ''), `Bearer ${token}`);
  }
}
