import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import type { Response } from 'express';
import type { SqlClient } from '../../../../libs/database/index.js';
import { Public } from '../auth/access.decorator.js';
import { SQL_CLIENT } from '../common/tokens.js';

async function check(probe: () => Promise<unknown>, timeoutMs = 3000): Promise<{ status: 'up' | 'down'; error?: string }> {
  try {
    await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), timeoutMs).unref())]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message.slice(0, 200) : 'unreachable' };
  }
}

interface Health {
  readonly status: 'ok' | 'degraded';
  readonly checks: { readonly database: Awaited<ReturnType<typeof check>>; readonly temporal: Awaited<ReturnType<typeof check>> };
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  /** The check under way: probes are not rate-limited, so those that arrive meanwhile share it rather than each reach the database and Temporal. */
  private running: Promise<Health> | undefined;

  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    private readonly temporal: Client,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness and dependencies: 200 when the database and Temporal answer, 503 otherwise; never rate-limited' })
  async health(@Res({ passthrough: true }) response: Response): Promise<Health> {
    this.running ??= this.checkDependencies().finally(() => (this.running = undefined));
    const health = await this.running;
    response.status(health.status === 'ok' ? 200 : 503);
    return health;
  }

  private async checkDependencies(): Promise<Health> {
    const [database, temporal] = await Promise.all([
      check(() => this.db.query('SELECT 1')),
      check(() => this.temporal.workflowService.getSystemInfo({})),
    ]);
    return { status: database.status === 'up' && temporal.status === 'up' ? 'ok' : 'degraded', checks: { database, temporal } };
  }
}
