import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SqlClient } from '../database/index.js';
import { streamIdFor } from '../domain/index.js';
import { canonicalJson, EventStore } from '../event-store/index.js';
import { takeDigest } from './digest.js';
import { evidenceReadme } from './evidence-readme.js';
import { EVIDENCE_VERIFIER } from './evidence-verifier.js';
import type { Progress } from './progress.js';
import type { AuditSigningKey } from './signing-key.js';

export interface EvidenceExport {
  readonly directory: string;
  readonly streamId: string;
  readonly events: number;
  readonly files: readonly string[];
}

export class NothingToExport extends Error {
  readonly code = 'department-not-found';
}

/**
 * Writes what an outsider needs to check one department's record without our software:
 * its events, a signed digest taken just before they were read, the public key, a
 * dependency-free verifier and a README. The digest comes first, so the events always
 * reach at least as far as the head it names.
 */
export async function exportEvidence(
  db: SqlClient,
  key: AuditSigningKey,
  code: string,
  directory: string,
  progress?: Progress,
): Promise<EvidenceExport> {
  const streamId = streamIdFor(code);
  const digest = await takeDigest(db, key);
  const events = await new EventStore(db).readStream(streamId);
  if (events.length === 0) throw new NothingToExport(`no events are recorded for department ${code}`);
  await mkdir(directory, { recursive: true });
  progress?.start(events.length, 'events');
  const lines = events.map((event) => {
    progress?.tick();
    const { position, streamId: stream, version, eventId, type, data, metadata, recordedAt, prevHash, hash } = event;
    return JSON.stringify({ position, streamId: stream, version, eventId, type, data, metadata, recordedAt, prevHash, hash });
  });
  progress?.done();
  const files: Record<string, string | Buffer> = {
    'events.jsonl': `${lines.join('\n')}\n`,
    'digest.json': `${JSON.stringify(digest, null, 2)}\n`,
    'digest-payload.json': canonicalJson(digest.payload),
    'digest-heads.json': canonicalJson(digest.streams ?? []),
    'digest.sig': Buffer.from(digest.signature, 'base64'),
    'public-key.pem': key.publicKeyPem,
    'verify.mjs': EVIDENCE_VERIFIER,
    'README.md': evidenceReadme(code.toUpperCase(), streamId, events.length, digest.payload.takenAt),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(join(directory, name), content);
  return { directory, streamId, events: events.length, files: Object.keys(files) };
}
