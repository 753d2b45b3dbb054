import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { isDomainError } from '@fts/domain';
import { GrpcExceptionFilter, INTERNAL_ERROR_CODE } from '../platform/errors/grpc-exception.filter.js';
import { domainErrorResponse, errorBody, HTTP_STATUS_CODES, type HttpErrorBody } from './http-errors.js';

export interface ResponseLike {
  headersSent: boolean;
  status(code: number): ResponseLike;
  json(body: unknown): unknown;
  end(): unknown;
}

export const INTERNAL_MESSAGE = 'The server failed to handle this request; the error is in its log.';

/** Whatever was thrown, as an HTTP status and the API's error body. */
export function httpErrorOf(exception: unknown, logger: Logger): { status: number; body: HttpErrorBody } {
  if (isDomainError(exception)) return domainErrorResponse(exception);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const reason = status === 404 ? 'HTTP.ROUTE_NOT_FOUND' : `HTTP.${status}`;
    const message = status === 404 ? 'No such route in this API; see /api/docs.' : exception.message;
    return { status, body: errorBody(HTTP_STATUS_CODES[status] ?? (status < 500 ? 'INVALID_ARGUMENT' : 'INTERNAL'), reason, message) };
  }
  logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  return { status: 500, body: errorBody('INTERNAL', INTERNAL_ERROR_CODE, INTERNAL_MESSAGE) };
}

/**
 * The one global filter for both transports: gRPC calls go to the gRPC
 * filter (status + details), HTTP requests get a status from the error table
 * and `{"error": {"code", "reason", "message"}}`.
 */
@Catch()
export class TransportExceptionFilter implements ExceptionFilter {
  private readonly grpc = new GrpcExceptionFilter();
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') return this.grpc.catch(exception, host);
    const res = host.switchToHttp().getResponse<ResponseLike>();
    const { status, body } = httpErrorOf(exception, this.logger);
    if (res.headersSent) {
      // A stream already under way (SSE): nothing more can be said in a status.
      res.end();
      return;
    }
    res.status(status).json(body);
  }
}
