/**
 * `verify.mjs`, shipped with every export: the whole check in plain Node, short enough
 * for an outsider to read before running it. Its canonical JSON mirrors libs/event-store.
 */
export const EVIDENCE_VERIFIER = String.raw`// Checks an ssc-onboarding evidence export with nothing but Node: node verify.mjs [dir]
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.argv[2] ?? fileURLToPath(new URL('.', import.meta.url));
const read = (name) => readFileSync(join(dir, name));
let failed = false;
const check = (ok, what) => {
  console.log((ok ? 'ok     ' : 'FAILED ') + what);
  if (!ok) failed = true;
};

function canonicalJson(value) {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('not a finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return '[' + value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',') + ']';
  const entries = Object.entries(value)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return '{' + entries.map(([key, member]) => JSON.stringify(key) + ':' + canonicalJson(member)).join(',') + '}';
}

const hashOf = (prevHash, e) =>
  createHash('sha256')
    .update(prevHash)
    .update(canonicalJson({ streamId: e.streamId, version: e.version, eventId: e.eventId, type: e.type, data: e.data, metadata: e.metadata, recordedAt: e.recordedAt }))
    .digest('hex');

const events = read('events.jsonl').toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
const streamId = events[0]?.streamId;
let prevHash = '0'.repeat(64);
let chainOk = events.length > 0;
for (const [index, event] of events.entries()) {
  const problems = [];
  if (event.streamId !== streamId) problems.push('belongs to another stream');
  if (event.version !== index + 1) problems.push('expected version ' + (index + 1));
  if (event.prevHash !== prevHash) problems.push('does not link to the event before it');
  if (hashOf(event.prevHash, event) !== event.hash) problems.push('its hash does not match its content');
  if (problems.length > 0) {
    check(false, 'event version ' + event.version + ': ' + problems.join('; '));
    chainOk = false;
    break;
  }
  prevHash = event.hash;
}
check(chainOk, 'hash chain of ' + events.length + ' events of ' + streamId);

const digest = JSON.parse(read('digest.json').toString('utf8'));
const payloadBytes = read('digest-payload.json');
check(payloadBytes.toString('utf8') === canonicalJson(digest.payload), 'digest-payload.json is the canonical form of digest.json payload');
const publicKey = createPublicKey(read('public-key.pem'));
const signature = read('digest.sig');
check(signature.equals(Buffer.from(digest.signature, 'base64')), 'digest.sig is the signature in digest.json');
check(verify(null, payloadBytes, publicKey, signature), 'Ed25519 signature over digest-payload.json with public-key.pem');
const keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
check(keyId === digest.keyId, 'digest names this public key (keyId ' + keyId.slice(0, 16) + '…)');

const heads = digest.streams ?? [];
check(read('digest-heads.json').toString('utf8') === canonicalJson(heads), 'digest-heads.json is the canonical form of digest.json streams');
const headsSha256 = createHash('sha256').update(canonicalJson(heads)).digest('hex');
check(headsSha256 === digest.payload.headsSha256, 'the signed payload commits to these ' + heads.length + ' stream heads (headsSha256)');
const head = heads.find((entry) => entry.streamId === streamId);
const atHead = head && events.find((event) => event.version === head.version);
check(Boolean(head), 'the digest names stream ' + streamId);
check(Boolean(atHead) && atHead.hash === head.hash, 'event version ' + head?.version + ' carries the digested hash');

console.log(failed ? 'EVIDENCE DOES NOT VERIFY' : 'all checks passed');
process.exit(failed ? 1 : 0);
`;
