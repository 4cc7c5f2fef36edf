import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/index.js';
import { AuditSigningKey } from './index.js';

const ed25519Pem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const realInfrastructure = { TEMPORAL_ADDRESS: 'temporal:7233', AUTH_JWT_SECRET: 'x'.repeat(40) };

describe('the audit signing key in the configuration', () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'ssc-audit-key-'));

  it('is generated once into DATA_DIR in embedded mode, private to its owner, and kept across restarts', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).auditSigningKeyPem;
    const second = loadConfig({ DATA_DIR: dir }).auditSigningKeyPem;

    expect(first).toBe(second);
    expect(statSync(join(dir, 'audit-signing-key.pem')).mode & 0o077).toBe(0);
    expect(AuditSigningKey.fromPem(first!).publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('comes from AUDIT_SIGNING_KEY (with \\n escapes, as env files write it) or AUDIT_SIGNING_KEY_FILE', () => {
    const pem = ed25519Pem();
    const file = join(dataDir(), 'key.pem');
    writeFileSync(file, pem);

    expect(loadConfig({ ...realInfrastructure, AUDIT_SIGNING_KEY: pem.replace(/\n/g, '\\n') }).auditSigningKeyPem).toBe(pem);
    expect(loadConfig({ ...realInfrastructure, AUDIT_SIGNING_KEY_FILE: file }).auditSigningKeyPem).toBe(readFileSync(file, 'utf8'));
  });

  it('is absent against real infrastructure unless configured: digests are then refused, nothing is generated', () => {
    expect(loadConfig({ ...realInfrastructure, DATA_DIR: dataDir() }).auditSigningKeyPem).toBeUndefined();
  });

  it('stops start-up with a message naming the variable when the key is unusable', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

    expect(() => loadConfig({ ...realInfrastructure, AUDIT_SIGNING_KEY: rsa })).toThrow(ConfigError);
    expect(() => loadConfig({ ...realInfrastructure, AUDIT_SIGNING_KEY: 'not a key' })).toThrow(/AUDIT_SIGNING_KEY must be an Ed25519 private key/);
    expect(() => loadConfig({ ...realInfrastructure, AUDIT_SIGNING_KEY_FILE: '/nonexistent/key.pem' })).toThrow(/AUDIT_SIGNING_KEY_FILE cannot read/);
  });
});
