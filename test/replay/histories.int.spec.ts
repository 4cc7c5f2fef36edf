import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { HISTORIES_DIR } from '../support/history-recorder.js';
import { workflowBundle } from '../support/stack.js';

const recorded = readdirSync(HISTORIES_DIR).filter((file) => file.endsWith('.json'));

/**
 * Every history recorded under test/histories/ must replay against the current workflow
 * code: a change that would make running workflows non-deterministic fails here first.
 */
describe('recorded workflow histories replay against the current workflow code', () => {
  it('has recorded histories to replay', () => {
    expect(recorded).toEqual(expect.arrayContaining(['happy-path.json']));
  });

  it.each(recorded)('%s replays without a determinism error', async (file) => {
    const history = JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'));
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, `replay-${file}`),
    ).resolves.toBeUndefined();
  });
});
