import type { Client } from '@temporalio/client';
import type { AppConfig } from '../../../../libs/config/index.js';
import type { SqlClient } from '../../../../libs/database/index.js';

/** What the API needs from the outside world; `main.ts`, the tests and the bench build it. */
export interface ApiDependencies {
  readonly config: AppConfig;
  readonly db: SqlClient;
  readonly temporal: Client;
}
