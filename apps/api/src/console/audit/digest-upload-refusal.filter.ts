import { BadRequestException, Catch, PayloadTooLargeException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Principal } from '../../auth/roles.js';
import { AuditPage, DIGEST_LIMIT_TEXT, type AuditErrors } from './audit-page.js';

/**
 * The upload's own limits refuse before the page's handler runs (a file or a pasted text over
 * the limit, a form that is not one). Those are the person's to fix, so they come back as the
 * Audit page with its error summary, not as a bare error page.
 */
@Catch(PayloadTooLargeException, BadRequestException)
export class DigestUploadRefusal implements ExceptionFilter {
  constructor(private readonly page: AuditPage) {}

  async catch(exception: PayloadTooLargeException | BadRequestException, host: ArgumentsHost): Promise<void> {
    const request = host.switchToHttp().getRequest<Request & { principal: Principal }>();
    const response = host.switchToHttp().getResponse<Response>();
    const errors: AuditErrors =
      exception instanceof PayloadTooLargeException
        ? { digestFile: `The selected file must be smaller than ${DIGEST_LIMIT_TEXT}: a digest is a few kilobytes` }
        : /too long/i.test(exception.message)
          ? { digest: `What you pasted must be shorter than ${DIGEST_LIMIT_TEXT}: a digest is a few kilobytes` }
          : { digest: 'The form could not be read. Paste the digest or choose its file again' };
    const status = exception.getStatus();
    response.status(status).render('audit', await this.page.view(request.principal, { errors }));
  }
}
