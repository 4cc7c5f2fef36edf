import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { LessonReadModel } from '../../../../libs/projections/index.js';
import { Access } from '../auth/access.decorator.js';
import { CommandCall } from '../common/command-context.js';
import { Idempotent } from '../common/idempotency.interceptor.js';
import { OptionalText, Text } from '../common/text.js';
import { normaliseCode } from '../departments/command.service.js';
import { LessonCommands } from './lesson-commands.js';
import type { CommandContext } from '../../../../workflows/contract.js';

export class RecordLessonDto {
  @Text('Short title', 200, 'Write exit clauses before the contract')
  readonly title!: string;

  @Text('What happened and what to do differently', 10000)
  readonly body!: string;

  @ApiProperty({ type: [String], example: ['payroll', 'contract'] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  @Matches(/^[a-z0-9][a-z0-9\-]*$/, { each: true, message: 'tags are lower-case words joined by hyphens' })
  readonly tags!: string[];

  @OptionalText('Centre the lesson applies to; omitted means every centre', 100)
  readonly centre?: string;

  @ApiPropertyOptional({ description: 'Departments joining that centre must acknowledge it before leaving LESSONS' })
  @IsOptional()
  @IsBoolean()
  readonly mandatory?: boolean;

  @ApiProperty({ example: 'HMRC', description: 'Department the lesson was learnt in' })
  @Matches(/^[A-Za-z][A-Za-z0-9]{1,9}$/, { message: 'sourceDepartment must be a department code' })
  readonly sourceDepartment!: string;
}

export class LessonQuery {
  @ApiPropertyOptional({ description: 'Words to find in title or body' }) @IsOptional() @IsString() @MaxLength(200)
  readonly q?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50)
  readonly tag?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100)
  readonly centre?: string;
}

/** The intelligent-customer lessons library; each lesson is its own stream. */
@ApiTags('lessons')
@ApiBearerAuth()
@Controller('api/lessons')
export class LessonsController {
  constructor(
    private readonly commands: LessonCommands,
    private readonly lessons: LessonReadModel,
  ) {}

  @Post()
  @HttpCode(201)
  @Access(['lead', 'programme'])
  @Idempotent()
  @ApiOperation({ summary: 'Share a lesson with the departments that follow' })
  record(@Body() dto: RecordLessonDto, @CommandCall() context: CommandContext) {
    return this.commands.record(
      {
        title: dto.title.trim(),
        body: dto.body,
        tags: dto.tags,
        centre: dto.centre?.trim() || null,
        mandatory: dto.mandatory ?? false,
        sourceDepartment: normaliseCode(dto.sourceDepartment),
      },
      context,
    );
  }

  @Get()
  @Access('any')
  @ApiOperation({ summary: 'Search the lessons library' })
  list(@Query() query: LessonQuery) {
    return this.lessons.list(query);
  }
}
