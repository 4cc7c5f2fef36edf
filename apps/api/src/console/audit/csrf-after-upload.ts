import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { invalidCsrfToken } from '../console-pipeline.js';

/**
 * The CSRF check of an upload form, once the upload interceptor before it has read the
 * multipart body with its `_csrf` field. Any other post reaching the route was checked by the
 * console pipeline already (it leaves `csrfTokenValid` unset).
 */
@Injectable()
export class CsrfAfterUpload implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    if (request.csrfTokenValid && !request.csrfTokenValid()) throw invalidCsrfToken();
    return next.handle();
  }
}
