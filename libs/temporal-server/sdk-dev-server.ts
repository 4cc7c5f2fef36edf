import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import type { EphemeralServerExecutable } from '@temporalio/testing';
import { dynamicConfigArgs, uiUrlOf, type DevServer, type DevServerSearchAttributeType, type DevServerSettings } from './types.js';

const SDK_SEARCH_ATTRIBUTE_TYPES: Record<DevServerSearchAttributeType, SearchAttributeType> = {
  Keyword: SearchAttributeType.KEYWORD,
  Bool: SearchAttributeType.BOOL,
  Datetime: SearchAttributeType.DATETIME,
  Int: SearchAttributeType.INT,
  Double: SearchAttributeType.DOUBLE,
  Text: SearchAttributeType.TEXT,
  KeywordList: SearchAttributeType.KEYWORD_LIST,
};

/**
 * The SDK downloads a dev server release from temporal.download and runs it; used only
 * when no CLI binary can be found or built, because that host may be unreachable.
 */
export async function startSdkDevServer(
  settings: DevServerSettings,
  executable: EphemeralServerExecutable,
): Promise<DevServer> {
  // Loaded lazily: it pulls in the native worker runtime, which the CLI path never needs.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const environment = await TestWorkflowEnvironment.createLocal({
    server: {
      executable,
      ip: settings.ip,
      port: settings.port,
      ui: !settings.headless,
      uiPort: settings.headless ? undefined : settings.uiPort,
      dbFilename: settings.dbFilename,
      namespace: settings.namespace,
      searchAttributes: Object.entries(settings.searchAttributes).map(([name, type]) =>
        defineSearchAttributeKey(name, SDK_SEARCH_ATTRIBUTE_TYPES[type]),
      ),
      log: { format: 'pretty', level: 'warn' },
      extraArgs: dynamicConfigArgs(settings),
    },
  });
  let stopping: Promise<void> | undefined;
  return {
    address: environment.address,
    uiUrl: uiUrlOf(settings),
    stop: () => (stopping ??= environment.teardown()),
  };
}
