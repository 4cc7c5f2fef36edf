import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UploadedFile, UseFilters, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access } from '../../auth/access.decorator.js';
import type { Principal } from '../../auth/roles.js';
import { toErrorBody } from '../../common/error-filter.js';
import { Unbounded } from '../../common/request-deadline.js';
import { DigestController } from '../../audit/digest/digest.controller.js';
import { EvidenceController } from '../../audit/evidence/evidence.controller.js';
import { ApiControllers } from '../api-controllers.js';
import { AuditPage, DIGEST_LIMIT_BYTES, digestFileName } from './audit-page.js';
import { CsrfAfterUpload } from './csrf-after-upload.js';
import { DigestUploadRefusal } from './digest-upload-refusal.filter.js';
import { DepartmentAuditPage } from './department-audit-page.js';
import { text, type PointInTimeAnswers } from './point-in-time-form.js';

type ConsoleRequest = Request & { principal: Principal };

/** The part of an upload this page reads; multer keeps it in memory. */
interface UploadedDigest {
  readonly originalname: string;
  readonly buffer: Buffer;
}

const DIGEST_LIMITS = { fileSize: DIGEST_LIMIT_BYTES, fieldSize: DIGEST_LIMIT_BYTES, files: 1, fields: 5, parts: 6 };

/**
 * `/audit` and `/departments/:code/audit`: verification, signed digests, evidence packs, past
 * states, the Temporal history and replay. Every answer comes from the auditors' API routes,
 * under their access rules; an auditor's visit never writes anything.
 */
@ApiExcludeController()
@Controller()
export class AuditConsoleController {
  constructor(
    private readonly page: AuditPage,
    private readonly departmentPage: DepartmentAuditPage,
    private readonly api: ApiControllers,
  ) {}

  @Get('audit')
  @Unbounded()
  @Access(['auditor'])
  async audit(@Query('verify') verify: unknown, @Req() request: ConsoleRequest, @Res() response: Response) {
    response.render('audit', await this.page.view(request.principal, { verifyAll: verify === 'all' }));
  }

  @Get('audit/digest')
  @Access(['auditor'])
  async digest(@Res() response: Response) {
    const digest = await this.api.get(DigestController).digest();
    response.attachment(digestFileName(digest.payload.takenAt)).type('application/json').send(`${JSON.stringify(digest, null, 2)}\n`);
  }

  /** Multipart, so a file can come with it: its CSRF token is checked once the upload is read. */
  @Post('audit/digest/check')
  @HttpCode(200)
  @Access(['auditor'])
  @UseInterceptors(FileInterceptor('digestFile', { limits: DIGEST_LIMITS }), CsrfAfterUpload)
  @UseFilters(DigestUploadRefusal)
  async checkDigest(
    @Body() posted: Record<string, unknown>,
    @UploadedFile() file: UploadedDigest | undefined,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const pasted = typeof posted?.digest === 'string' ? posted.digest : '';
    const outcome = await this.page.checkDigest({ pasted, file: file && { name: file.originalname, content: file.buffer } });
    if ('errors' in outcome) {
      response.status(400).render('audit', await this.page.view(request.principal, { errors: outcome.errors, values: { digest: pasted } }));
      return;
    }
    response.render('audit', await this.page.view(request.principal, { digestCheck: outcome.check }));
  }

  @Get('audit/evidence')
  @Access(['auditor'])
  async evidence(@Query('department') department: unknown, @Req() request: ConsoleRequest, @Res() response: Response) {
    const code = text(department);
    const refuse = async (message: string) =>
      response.status(400).render('audit', await this.page.view(request.principal, { errors: { department: message }, values: { department: code } }));
    if (!code) return refuse('Choose the department whose evidence pack you want');
    try {
      const file = await this.api.get(EvidenceController).evidence(code);
      const headers = file.getHeaders();
      response.setHeader('content-disposition', headers.disposition ?? 'attachment');
      response.type(headers.type ?? 'application/zip');
      file.getStream().pipe(response);
    } catch (error) {
      const body = toErrorBody(error);
      if (body.code === 'department-not-found' || body.code === 'invalid-department-code') return refuse(`There is no department ${code.toUpperCase()}`);
      throw error;
    }
  }

  @Get('departments/:code/audit')
  @Unbounded()
  @Access(['auditor', 'programme'])
  async department(@Param('code') code: string, @Query() query: PointInTimeAnswers & { replay?: string }, @Req() request: ConsoleRequest, @Res() response: Response) {
    const { status, view } = await this.departmentPage.view(request.principal, code, { answers: query, replay: query.replay === 'yes' }, response);
    response.status(status).render('department-audit', view);
  }
}
