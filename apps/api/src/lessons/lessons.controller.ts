import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { LessonReadModel } from '../../../../libs/projections/index.js';
import { LESSON_TAG_PATTERN, MAX_CENTRE_LENGTH, MAX_LESSON_TAGS, MAX_LESSON_TAG_LENGTH, MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from '../../../../libs/domain/index.js';
import { Access } from '../auth/access.decorator.js';
import { CommandCall } from '../common/command-context.js';
import { Idempotent } from '../common/idempotency.interceptor.js';
import { DepartmentCode, OptionalText, Text } from '../common/text.js';
import { normaliseCode } from '../departments/command.service.js';
import { LessonCommands } from './lesson-commands.js';
import type { CommandContext } from '../../../../workflows/contract.js';

export class RecordLessonDto {
  @Text('Short title', MAX_NAME_LENGTH, 'Write exit clauses before the contract')
  readonly title!: string;

  @Text('What happened and what to do differently', MAX_TEXT_LENGTH)
  readonly body!: string;

  @ApiProperty({
    type: [String],
    maxItems: MAX_LESSON_TAGS,
    example: ['payroll', 'contract'],
    description: `Lower-case words joined by hyphens, at most ${MAX_LESSON_TAG_LENGTH} characters each`,
  })
  @IsArray()
  @ArrayMaxSize(MAX_LESSON_TAGS)
  @IsString({ each: true })
  @MaxLength(MAX_LESSON_TAG_LENGTH, { each: true })
  @Matches(LESSON_TAG_PATTERN, { each: true, message: 'tags are lower-case words joined by hyphens' })
  readonly tags!: string[];

  @OptionalText('Centre the lesson applies to; omitted means every centre', MAX_CENTRE_LENGTH)
  readonly centre?: string;

  @ApiPropertyOptional({ description: 'Departments joining that centre must acknowledge it before leaving LESSONS' })
  @IsOptional()
  @IsBoolean()
  readonly mandatory?: boolean;

  @DepartmentCode('Department the lesson was learnt in', { example: 'HMRC' })
  readonly sourceDepartment!: string;
}

export class SetLessonMandatoryDto {
  @ApiProperty({ description: 'true: departments joining the lesson’s centre (every centre when it has none) must acknowledge it before leaving LESSONS; false: optional again' })
  @IsBoolean()
  readonly mandatory!: boolean;

  @Text('Why, kept in the audit trail', MAX_TEXT_LENGTH)
  readonly reason!: string;
}

/** How long each search field may be: words as long as a title, a tag or a centre as the domain allows them. */
export const LESSON_QUERY_LIMITS = { q: MAX_NAME_LENGTH, tag: MAX_LESSON_TAG_LENGTH, centre: MAX_CENTRE_LENGTH } as const;

export class LessonQuery {
  @ApiPropertyOptional({ description: 'Words to find in title or body' }) @IsOptional() @IsString() @MaxLength(LESSON_QUERY_LIMITS.q)
  readonly q?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LESSON_QUERY_LIMITS.tag)
  readonly tag?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LESSON_QUERY_LIMITS.centre)
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

  @Post(':lessonId/mandatory')
  @HttpCode(200)
  @Access(['programme'])
  @Idempotent()
  @ApiOperation({
    summary: 'Make a lesson mandatory, or optional again, for departments joining its centre',
    description: 'Departments still in LESSONS must then acknowledge it before advancing; the gate reads the library as it stands when they advance.',
  })
  setMandatory(@Param('lessonId') lessonId: string, @Body() dto: SetLessonMandatoryDto, @CommandCall() context: CommandContext) {
    return this.commands.setMandatory(lessonId, { mandatory: dto.mandatory, reason: dto.reason }, context);
  }

  @Get()
  @Access('any')
  @ApiOperation({ summary: 'Search the lessons library' })
  list(@Query() query: LessonQuery) {
    return this.lessons.list(query);
  }
}
