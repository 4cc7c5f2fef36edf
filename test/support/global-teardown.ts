/** Undoes test/support/global-setup.ts: stops the dev server and drops the test database. */
export default async function globalTeardown(): Promise<void> {
  const dispose = globalThis.__sscIntegrationDispose;
  globalThis.__sscIntegrationDispose = undefined;
  await dispose?.();
}
