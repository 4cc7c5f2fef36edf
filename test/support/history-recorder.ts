import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

export const HISTORIES_DIR = fileURLToPath(new URL('../histories/', import.meta.url));

/**
 * With RECORD_HISTORIES=1, a test saves the Temporal history of a workflow it drove under
 * test/histories/, where the replay test proves today's workflow code still makes the
 * same decisions. See the README: record again only when the workflow changed on purpose.
 */
export async function recordHistoryIfAsked(temporal: Client, workflowId: string, name: string): Promise<boolean> {
  if (process.env.RECORD_HISTORIES !== '1') return false;
  const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
  await writeFile(`${HISTORIES_DIR}${name}.json`, `${historyToJSON(history)}\n`);
  return true;
}
