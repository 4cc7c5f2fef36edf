import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IntegrityChecker } from '../../../../../libs/audit/index.js';
import type { SqlClient } from '../../../../../libs/database/index.js';
import { departmentCodeOf } from '../../../../../libs/domain/index.js';
import { Access } from '../../auth/access.decorator.js';
import { SQL_CLIENT } from '../../common/tokens.js';
import { Unbounded } from '../../common/request-deadline.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class VerifyAllController {
  private readonly checker: IntegrityChecker;

  constructor(@Inject(SQL_CLIENT) db: SqlClient) {
    this.checker = new IntegrityChecker(db);
  }

  @Get('verify')
  @Unbounded()
  @Access(['auditor'])
  @ApiOperation({
    summary: 'Recompute the hash chain of every stream: departments, centres and the programme',
    description:
      'valid: every chain is intact. Otherwise `invalid` names, per stream (and department, for a department stream), the first version whose content no longer matches the chain and the problem.',
  })
  async verifyAll() {
    const results = await this.checker.verifyAll();
    const invalid = results
      .filter((result) => !result.valid)
      .map(({ streamId, firstInvalidVersion, problem, checkedEvents, lastVersion }) => ({
        streamId,
        department: departmentCodeOf(streamId),
        firstInvalidVersion,
        problem,
        checkedEvents,
        lastVersion,
      }));
    return {
      valid: invalid.length === 0,
      checkedStreams: results.length,
      checkedEvents: results.reduce((sum, result) => sum + result.checkedEvents, 0),
      invalid,
    };
  }
}
