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
import { zipArchive } from './zip-archive.js';

export interface EvidenceExport {
  readonly directory: string;
  readonly streamId: string;
  readonly events: number;
  readonly files: readonly string[];
}

export class NothingToExport extends Error {
  readonly code = 'department-not-found';
}

/** The files of an evidence pack, by name. */
export interface EvidenceFiles {
  readonly streamId: string;
  readonly events: number;
  readonly takenAt: string;
  readonly files: Readonly<Record<string, string | Buffer>>;
}

/**
 * What an outsider needs to check one department's record without our software: its
 * events, a signed digest taken just before they were read, the public key, a
 * dependency-free verifier and a README. The digest comes first, so the events always
 * reach at least as far as the head it names.
 */
export async function evidenceFiles(db: SqlClient, key: AuditSigningKey, code: string, exportedBy: string, progress?: Progress): Promise<EvidenceFiles> {
  const streamId = streamIdFor(code);
  const digest = await takeDigest(db, key);
  const events = await new EventStore(db).readStream(streamId);
  if (events.length === 0) throw new NothingToExport(`no events are recorded for department ${code}`);
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
    'README.md': evidenceReadme(code.toUpperCase(), streamId, events.length, digest.payload.takenAt, exportedBy),
  };
  return { streamId, events: events.length, takenAt: digest.payload.takenAt, files };
}

/** The evidence pack written into a directory, as the auditor CLI exports it. */
export async function exportEvidence(
  db: SqlClient,
  key: AuditSigningKey,
  code: string,
  directory: string,
  progress?: Progress,
): Promise<EvidenceExport> {
  const pack = await evidenceFiles(db, key, code, "ssc-onboarding's auditor CLI", progress);
  await mkdir(directory, { recursive: true });
  for (const [name, content] of Object.entries(pack.files)) await writeFile(join(directory, name), content);
  return { directory, streamId: pack.streamId, events: pack.events, files: Object.keys(pack.files) };
}

export interface EvidenceArchive {
  /** What to save it as: `evidence-<CODE>-<instant>.zip`, unpacking into a folder of the same name. */
  readonly fileName: string;
  readonly streamId: string;
  readonly events: number;
  readonly zip: Buffer;
}

/** The evidence pack as one ZIP file, for a download. */
export async function evidenceArchive(db: SqlClient, key: AuditSigningKey, code: string): Promise<EvidenceArchive> {
  const pack = await evidenceFiles(db, key, code, 'the ssc-onboarding console');
  const folder = `evidence-${code.toUpperCase()}-${pack.takenAt.replace(/[:.]/g, '-')}`;
  const entries = Object.entries(pack.files).map(([name, content]) => ({ name: `${folder}/${name}`, content }));
  return { fileName: `${folder}.zip`, streamId: pack.streamId, events: pack.events, zip: zipArchive(entries, new Date(pack.takenAt)) };
}
