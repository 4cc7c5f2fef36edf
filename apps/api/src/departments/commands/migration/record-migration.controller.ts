import { Body, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_TEXT_LENGTH, type Workstream, WORKSTREAMS } from '../../../../../../libs/domain/index.js';
import { Access } from '../../../auth/access.decorator.js';
import { CommandCall } from '../../../common/command-context.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { ApiError } from '../../../common/api-error.js';
import { Text } from '../../../common/text.js';
import { CommandService } from '../../command.service.js';
import { CommandController } from '../../../common/command-route.js';

export class RecordMigrationDto {
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(1e12)
  readonly recordsExtracted!: number;

  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(1e12)
  readonly recordsLoaded!: number;

  @Text('Reference to the reconciliation evidence', MAX_TEXT_LENGTH, 'sharepoint://migration/hr/recon-v3.xlsx')
  readonly evidenceRef!: string;
}

@CommandController('api/departments/:code/migration/:workstream', 'onboarding')
export class RecordMigrationController {
  constructor(private readonly commands: CommandService) {}

  @Post()
  @HttpCode(200)
  @Access(['centre', 'lead'], { departmentScoped: true })
  @ApiParam({ name: 'workstream', enum: WORKSTREAMS })
  @ApiOperation({ summary: 'Record a data-migration workstream as complete, with its reconciliation' })
  record(@Param('code') code: string, @Param('workstream') workstream: string, @Body() dto: RecordMigrationDto, @CommandCall() context: CommandContext) {
    if (!WORKSTREAMS.includes(workstream as Workstream)) {
      throw new ApiError(400, 'unknown-workstream', `workstream must be one of ${WORKSTREAMS.join(', ')}`);
    }
    return this.commands.execute(
      code,
      { type: 'RecordMigration', workstream: workstream as Workstream, recordsExtracted: dto.recordsExtracted, recordsLoaded: dto.recordsLoaded, evidenceRef: dto.evidenceRef },
      context,
    );
  }
}
