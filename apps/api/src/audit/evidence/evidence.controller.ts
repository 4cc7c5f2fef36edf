import { Controller, Get, Inject, Param, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { evidenceArchive, NothingToExport } from '../../../../../libs/audit/index.js';
import type { SqlClient } from '../../../../../libs/database/index.js';
import { Access } from '../../auth/access.decorator.js';
import { departmentNotFound } from '../../common/api-error.js';
import { SQL_CLIENT } from '../../common/tokens.js';
import { normaliseCode } from '../../departments/command.service.js';
import { DigestKeyring } from '../audit-dependencies.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/departments')
export class EvidenceController {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    private readonly keyring: DigestKeyring,
  ) {}

  @Get(':code/evidence')
  @Access(['auditor'])
  @ApiProduces('application/zip')
  @ApiOperation({
    summary: "The department's evidence pack for outsiders, as one ZIP file",
    description:
      'Its events, a signed digest taken just before they were read, the public key, a dependency-free verifier (verify.mjs) and a README; the same files `npm run audit -- export` writes.',
  })
  async evidence(@Param('code') rawCode: string): Promise<StreamableFile> {
    const code = normaliseCode(rawCode);
    const key = this.keyring.signingKey();
    try {
      const archive = await evidenceArchive(this.db, key, code);
      return new StreamableFile(archive.zip, { type: 'application/zip', disposition: `attachment; filename="${archive.fileName}"`, length: archive.zip.length });
    } catch (error) {
      if (error instanceof NothingToExport) throw departmentNotFound(code, error.message);
      throw error;
    }
  }
}
