/**
 * Where the integration tier's shared Temporal server and PostgreSQL database are; the
 * jest global setup (test/support/global-setup.ts) sets both before any test runs.
 */
export function testTemporalAddress(): string {
  return requiredTestVariable('TEST_TEMPORAL_ADDRESS');
}

export function testDatabaseUrl(): string {
  return requiredTestVariable('TEST_DATABASE_URL');
}

function requiredTestVariable(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run integration tests through jest's "integration" project ` +
        `(e.g. NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects integration --runInBand <file>), ` +
        'whose global setup starts the Temporal dev server and creates the test database.',
    );
  }
  return value;
}
