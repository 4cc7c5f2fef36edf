/**
 * What an outsider needs to check an exported stream with nothing but Node or openssl.
 * The canonical JSON rules here must stay word for word what libs/event-store implements.
 */
export const CANONICAL_JSON_RULES = `Canonical JSON (the form every hash and signature covers):
- objects: members sorted by key, comparing keys as strings of UTF-16 code units
  (JavaScript's default \`<\`), members whose value is undefined left out;
- no whitespace anywhere;
- strings and keys escaped exactly as JavaScript's JSON.stringify does (\\" \\\\ \\b \\f \\n
  \\r \\t, other control characters and lone surrogates as \\u00XX / \\udXXX in lower-case
  hex, everything else as the character itself in UTF-8);
- numbers in JavaScript's shortest round-trip form (JSON.stringify); never NaN or Infinity;
- arrays in order, an undefined element written as null; true, false and null as such.`;

export function evidenceReadme(code: string, streamId: string, eventCount: number, takenAt: string, exportedBy: string): string {
  return `# Evidence for department ${code}

Exported at ${takenAt} by ${exportedBy}.

| file | what it is |
|---|---|
| \`events.jsonl\` | the ${eventCount} events of stream \`${streamId}\`, one JSON object per line, in version order |
| \`digest.json\` | a signed digest of the heads of every stream in the event store, taken just before the events were read |
| \`digest-payload.json\` | the exact bytes that were signed: the canonical JSON of \`digest.json\`'s \`payload\` |
| \`digest-heads.json\` | the canonical JSON of \`digest.json\`'s \`streams\` (every stream's last version and hash); the signed payload holds its SHA-256 as \`headsSha256\` |
| \`digest.sig\` | the raw 64-byte Ed25519 signature (the same as \`digest.json\`'s \`signature\`, base64-decoded) |
| \`public-key.pem\` | the Ed25519 public key that signed it (SPKI PEM); compare it with the one the programme publishes at \`GET /api/audit/public-key\` |
| \`verify.mjs\` | a dependency-free Node script that performs every check below |

## What the hashes mean

Every event has a \`hash\` and a \`prevHash\`. The first event of a stream has
\`prevHash\` = 64 zeros; every later one names the \`hash\` of the event before it:

    hash = lower-case hex SHA-256 of ( prevHash as 64 ASCII hex characters
                                       followed by the UTF-8 bytes of canonicalJson(body) )
    body = { streamId, version, eventId, type, data, metadata, recordedAt }

(\`position\`, \`prevHash\` and \`hash\` are not part of the body.)

${CANONICAL_JSON_RULES}

Versions run 1, 2, 3… without gaps. Changing, removing, inserting or reordering any event
breaks the chain at that event; rewriting the whole chain changes the last hash, which
no longer matches the signed digest.

## Check it with plain Node (18 or later)

    node verify.mjs

It recomputes every hash from \`events.jsonl\`, checks that each event links to the one
before, that the event at the version the digest names for \`${streamId}\` carries the
digest's hash, that \`digest-payload.json\` is the canonical form of \`digest.json\`'s
payload, and that the signature verifies with \`public-key.pem\`. It prints each check and
exits with 0 only when all pass. Read it first: it is short and uses nothing but Node's
built-in modules.

## Check the signature with openssl (3.0 or later)

    openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin \\
      -in digest-payload.json -sigfile digest.sig

prints \`Signature Verified Successfully\`. The signed payload commits to the stream heads
through their hash; these two must print the same hex string:

    openssl dgst -sha256 -r digest-heads.json | cut -d' ' -f1
    grep -o '"headsSha256":"[0-9a-f]*"' digest-payload.json

Then find this stream's head among them:

    grep -o '{"hash":"[0-9a-f]*","streamId":"${streamId}","version":[0-9]*}' digest-heads.json

and that \`events.jsonl\` holds an event with that version and hash, e.g.

    grep '"version":N,' events.jsonl | grep -o '"hash":"[0-9a-f]*"'

Recomputing the chain itself needs a canonical JSON encoder, which is why \`verify.mjs\`
exists; any language's SHA-256 and a JSON encoder that follows the rules above will do.

## Proving nothing changed since

Keep \`digest.json\` somewhere the programme cannot change it. Later, an auditor can POST
it to \`/api/audit/digest/verify\` (or run \`npm run audit -- verify-digest digest.json\`): the service
proves that today's log still extends it, or names the stream and version that changed.
`;
}
