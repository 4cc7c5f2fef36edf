import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { streamIdFor } from '../../libs/domain/index.js';
import { SEARCH_ATTRIBUTE_TYPES } from '../../libs/temporal/index.js';
import { startDevServer, type DevServer } from '../../libs/temporal-server/index.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';

/**
 * A long onboarding keeps a short history: when Temporal suggests it, the workflow
 * continues as new, carrying its state, after every handler has finished. A server that
 * suggests it after 60 events makes that happen in a test.
 */
describe('continue-as-new of a long onboarding', () => {
  let server: DevServer;
  let stack: Stack;

  beforeAll(async () => {
    server = await startDevServer({
      projectRoot: fileURLToPath(new URL('../..', import.meta.url)),
      dbFilename: join(mkdtempSync(join(tmpdir(), 'ssc-can-')), 'temporal.sqlite'),
      searchAttributes: SEARCH_ATTRIBUTE_TYPES,
      dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 60 },
      log: () => undefined,
    });
    stack = await startStack({ database: 'postgres', temporalAddress: server.address });
  });
  afterAll(async () => {
    await stack?.close();
    await server?.stop();
  });

  it('continues as new with its state, and keeps taking commands with contiguous versions', async () => {
    const d = new OnboardingDriver(stack, uniqueCode('CN'));
    const registered = await d.register();
    const handle = stack.temporal.workflow.getHandle(`onboarding-${d.code}`);
    const firstRun = (await handle.describe()).runId;
    await d.passLessons();
    for (let index = 0; index < 12; index += 1) {
      await d.expectOk(d.command('deviations', d.lead, { area: `area-${index}`, description: 'local variation', justification: 'legacy contract' }));
    }

    const later = await handle.describe();
    expect(later.runId).not.toBe(firstRun);
    expect(later.status.name).toBe('RUNNING');
    expect(registered.status).toBe(201);

    const view = (await d.get()).body;
    expect(view.deviations).toHaveLength(12);
    const deviationId = view.deviations[0].id as string;
    await d.expectOk(d.command(`deviations/${deviationId}/decision`, d.programme, { decision: 'approved', reason: 'agreed' }));

    const events = await stack.store.readStream(streamIdFor(d.code));
    expect(events.map((event) => event.version)).toEqual(events.map((_, index) => index + 1));
    const runIds = new Set(events.map((event) => (event.metadata as { runId?: string }).runId));
    expect(runIds.size).toBeGreaterThan(1);
    const state = (await d.get()).body;
    expect(state.version).toBe(events.length);
    expect(state.deviations.filter((deviation: { status: string }) => deviation.status === 'approved')).toHaveLength(1);
  });
});
