import { createHash } from 'node:crypto';
import type { SqlClient, SqlExecutor } from '../database/index.js';
import { canonicalJson, type StreamHead } from '../event-store/index.js';
import { IntegrityChecker } from './integrity.js';
import type { Progress } from './progress.js';
import { publicKeyId, verifySignature, type AuditSigningKey } from './signing-key.js';

export const DIGEST_FORMAT = 'ssc-onboarding/audit-digest/v1';

/**
 * What is signed. The heads of every stream are committed to by `headsSha256`, so the
 * signed part stays small however many streams there are; `globalPosition` lets the
 * service find the same heads again from the log alone.
 */
export interface DigestPayload {
  readonly format: typeof DIGEST_FORMAT;
  readonly takenAt: string;
  /** The highest event position when the digest was taken; every event at or below it was committed. */
  readonly globalPosition: number;
  readonly eventCount: number;
  readonly streamCount: number;
  /** Lower-case hex SHA-256 of the UTF-8 canonical JSON of `streams` (sorted by streamId). */
  readonly headsSha256: string;
}

/** `signature`: Ed25519 over the UTF-8 bytes of `canonicalJson(payload)`, base64. */
export interface SignedDigest {
  readonly payload: DigestPayload;
  readonly algorithm: 'Ed25519';
  readonly keyId: string;
  readonly signature: string;
  /** The heads the payload commits to; optional when verifying (the log gives them back). */
  readonly streams?: readonly StreamHead[];
}

export function headsSha256(streams: readonly StreamHead[]): string {
  return createHash('sha256').update(canonicalJson(streams)).digest('hex');
}

/**
 * Reads every stream head at one instant and signs them. On PostgreSQL a SHARE lock on
 * `streams` waits for appends in flight and holds new ones back for the moment it takes,
 * so no event below `globalPosition` can commit later.
 */
export async function takeDigest(db: SqlClient, key: AuditSigningKey, now: () => Date = () => new Date()): Promise<SignedDigest> {
  const { streams, globalPosition, eventCount } = await db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.query('LOCK TABLE streams IN SHARE MODE');
    const [totals] = await tx.query<{ position: number | string | null; count: number | string }>(
      `SELECT MAX(position) AS position, COUNT(*) AS count FROM events`,
    );
    const position = Number(totals?.position ?? 0);
    return { streams: await headsAt(tx, position), globalPosition: position, eventCount: Number(totals?.count ?? 0) };
  });
  const payload: DigestPayload = {
    format: DIGEST_FORMAT,
    takenAt: now().toISOString(),
    globalPosition,
    eventCount,
    streamCount: streams.length,
    headsSha256: headsSha256(streams),
  };
  return { payload, algorithm: 'Ed25519', keyId: key.keyId, signature: key.sign(canonicalJson(payload)), streams };
}

/** The last event of every stream among the events at or below a global position. */
async function headsAt(db: SqlExecutor, globalPosition: number): Promise<StreamHead[]> {
  const rows = await db.query<{ stream_id: string; version: number | string; hash: string }>(
    `SELECT e.stream_id, e.version, e.hash FROM events e
     JOIN (SELECT stream_id, MAX(version) AS version FROM events WHERE position <= $1 GROUP BY stream_id) h
       ON h.stream_id = e.stream_id AND h.version = e.version
     ORDER BY e.stream_id`,
    [globalPosition],
  );
  const heads = rows.map((row) => ({ streamId: row.stream_id, version: Number(row.version), hash: row.hash }));
  return heads.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
}

export type DigestProblemKind =
  /** The heads sent along are not the ones the signature commits to. */
  | 'heads-not-signed'
  /** The log no longer yields the signed heads at the digest's global position. */
  | 'heads-changed'
  /** An event at or before the digested head no longer verifies. */
  | 'altered-before-digest'
  /** The stream now holds fewer events than the digest saw. */
  | 'truncated'
  /** The chain verifies, but at the digested version ends in another hash: rewritten whole. */
  | 'rewritten'
  /** Events appended after the digest no longer verify; the digested part is intact. */
  | 'altered-after-digest';

export interface DigestProblem {
  readonly kind: DigestProblemKind;
  readonly streamId?: string;
  readonly version?: number;
}

export interface DigestVerification {
  /** The signature holds and today's log extends the digest. */
  readonly valid: boolean;
  readonly signatureValid: boolean;
  readonly extendsDigest: boolean;
  readonly takenAt: string;
  readonly checkedStreams: number;
  readonly problems: readonly DigestProblem[];
}

/** Structure only: whether the value has the fields a digest has, of the right types. */
export function isSignedDigest(value: unknown): value is SignedDigest {
  if (typeof value !== 'object' || value === null) return false;
  const digest = value as Record<string, unknown>;
  const payload = digest.payload as Record<string, unknown> | undefined;
  const streams = digest.streams;
  return (
    typeof digest.signature === 'string' &&
    typeof digest.keyId === 'string' &&
    typeof payload === 'object' &&
    payload !== null &&
    payload.format === DIGEST_FORMAT &&
    typeof payload.takenAt === 'string' &&
    Number.isInteger(payload.globalPosition) &&
    Number.isInteger(payload.eventCount) &&
    Number.isInteger(payload.streamCount) &&
    typeof payload.headsSha256 === 'string' &&
    (streams === undefined || (Array.isArray(streams) && streams.every(isStreamHead)))
  );
}

function isStreamHead(value: unknown): value is StreamHead {
  const head = value as Partial<StreamHead> | null;
  return typeof head === 'object' && head !== null && typeof head.streamId === 'string' && Number.isInteger(head.version) && typeof head.hash === 'string';
}

/** Checked against the given public key: a digest signed by any other key fails. */
export function digestSignatureValid(digest: SignedDigest, publicKeyPem: string): boolean {
  return digest.keyId === publicKeyId(publicKeyPem) && verifySignature(publicKeyPem, canonicalJson(digest.payload), digest.signature);
}

/**
 * Proves that today's log extends an earlier digest: the log still yields, at the
 * digest's global position, the heads the signature commits to, and every stream is
 * reached from the genesis hash by an intact chain up to its digested head.
 */
export async function verifyDigest(db: SqlClient, digest: SignedDigest, publicKeyPem: string, progress?: Progress): Promise<DigestVerification> {
  const signatureValid = digestSignatureValid(digest, publicKeyPem);
  const problems: DigestProblem[] = [];
  let heads = digest.streams;
  if (heads && headsSha256(heads) !== digest.payload.headsSha256) {
    problems.push({ kind: 'heads-not-signed' });
    heads = undefined;
  }
  const logHeads = await headsAt(db, digest.payload.globalPosition);
  if (headsSha256(logHeads) !== digest.payload.headsSha256) problems.push({ kind: 'heads-changed' });
  const checker = new IntegrityChecker(db);
  const toCheck = heads ?? logHeads;
  progress?.start(toCheck.length, 'streams');
  for (const digested of toCheck) {
    const problem = await checkStream(checker, digested);
    if (problem) problems.push(problem);
    progress?.tick();
  }
  progress?.done();
  const extendsDigest = problems.every((problem) => problem.kind === 'altered-after-digest');
  return {
    valid: signatureValid && extendsDigest,
    signatureValid,
    extendsDigest,
    takenAt: digest.payload.takenAt,
    checkedStreams: toCheck.length,
    problems,
  };
}

async function checkStream(checker: IntegrityChecker, digested: StreamHead): Promise<DigestProblem | undefined> {
  const verification = await checker.verifyStream(digested.streamId);
  const at = (kind: DigestProblemKind, version: number): DigestProblem => ({ kind, streamId: digested.streamId, version });
  if (!verification) return at('truncated', 1);
  if (!verification.valid && verification.firstInvalidVersion! <= digested.version) {
    return at('altered-before-digest', verification.firstInvalidVersion!);
  }
  if (verification.lastVersion < digested.version) return at('truncated', verification.lastVersion + 1);
  if ((await checker.hashAt(digested.streamId, digested.version)) !== digested.hash) return at('rewritten', digested.version);
  if (!verification.valid) return at('altered-after-digest', verification.firstInvalidVersion!);
  return undefined;
}
