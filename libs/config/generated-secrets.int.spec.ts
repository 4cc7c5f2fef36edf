import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, GENERATED_SECRET_FILES, generatedSecretFile, loadConfig } from './index.js';

/** Embedded mode: what the configuration writes into DATA_DIR, and only there. */
describe('secrets generated into DATA_DIR', () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'ssc-generated-secrets-'));

  it('writes the JWT secret and the audit signing key once, private to their owner, and nothing else', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });

    expect(readdirSync(dir).sort()).toEqual(Object.values(GENERATED_SECRET_FILES).sort());
    for (const secret of ['jwtSecret', 'auditSigningKey'] as const) {
      expect(statSync(generatedSecretFile(dir, secret)).mode & 0o077).toBe(0);
    }
    expect(first.authJwtSecret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect([second.authJwtSecret, second.auditSigningKeyPem]).toEqual([first.authJwtSecret, first.auditSigningKeyPem]);
    expect(readFileSync(generatedSecretFile(dir, 'jwtSecret'), 'utf8')).toBe(first.authJwtSecret);
  });

  it('keeps a secret already there (tokens and digests were signed with it)', () => {
    const dir = dataDir();
    const kept = 'k'.repeat(40);
    writeFileSync(generatedSecretFile(dir, 'jwtSecret'), `${kept}\n`, { mode: 0o600 });

    expect(loadConfig({ DATA_DIR: dir }).authJwtSecret).toBe(kept);
    expect(readFileSync(generatedSecretFile(dir, 'jwtSecret'), 'utf8')).toBe(`${kept}\n`);
  });

  it('generates nothing when the secrets are configured, or against real infrastructure', () => {
    const dir = dataDir();
    loadConfig({ DATA_DIR: dir, TEMPORAL_ADDRESS: 'temporal:7233', AUTH_JWT_SECRET: 'x'.repeat(40) });

    expect(readdirSync(dir)).toEqual([]);
  });

  it('stops start-up naming DATA_DIR when it cannot hold them, or holds a spoilt one', () => {
    const dir = dataDir();
    const notADirectory = join(dir, 'file');
    writeFileSync(notADirectory, '');
    writeFileSync(generatedSecretFile(dir, 'jwtSecret'), 'short');

    expect(() => loadConfig({ DATA_DIR: notADirectory })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: notADirectory })).toThrow(/DATA_DIR must be a writable directory to generate .*jwt-secret/);
    expect(() => loadConfig({ DATA_DIR: dir })).toThrow(/DATA_DIR holds .*jwt-secret, shorter than 32 characters/);
  });
});
