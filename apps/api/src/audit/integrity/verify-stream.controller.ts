import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IntegrityChecker } from '../../../../../libs/audit/index.js';
import type { SqlClient } from '../../../../../libs/database/index.js';
import { streamIdFor } from '../../../../../libs/domain/index.js';
import { Access } from '../../auth/access.decorator.js';
import { ApiError, departmentNotFound } from '../../common/api-error.js';
import { SQL_CLIENT } from '../../common/tokens.js';
import { normaliseCode } from '../../departments/command.service.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/departments')
export class VerifyStreamController {
  private readonly checker: IntegrityChecker;

  constructor(@Inject(SQL_CLIENT) db: SqlClient) {
    this.checker = new IntegrityChecker(db);
  }

  @Get(':code/verify')
  @Access(['auditor'])
  @ApiOperation({
    summary: "Recompute the department's hash chain from the stored events",
    description:
      'valid: false names the first version whose content no longer matches the chain (changed, missing, reordered or rehashed).',
  })
  async verify(@Param('code') rawCode: string) {
    const code = normaliseCode(rawCode);
    const result = await this.checker.verifyStream(streamIdFor(code));
    if (!result) throw departmentNotFound(code, `no events are recorded for department ${code}`);
    const { valid, checkedEvents, firstInvalidVersion, problem, streamId, lastVersion } = result;
    return { valid, checkedEvents, ...(valid ? {} : { firstInvalidVersion, problem }), streamId, lastVersion };
  }
}
