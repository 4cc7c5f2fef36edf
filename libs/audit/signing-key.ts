import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** The Ed25519 key that signs digests; only its public half ever leaves the process. */
export class AuditSigningKey {
  readonly publicKeyPem: string;
  /** SHA-256 of the public key in SPKI DER form, hex: names the key in every digest. */
  readonly keyId: string;
  private readonly publicKey: KeyObject;

  private constructor(private readonly privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey);
    this.publicKeyPem = this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = publicKeyId(this.publicKey);
  }

  /** Accepts a PKCS#8 PEM Ed25519 private key. */
  static fromPem(pem: string): AuditSigningKey {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 key, got ${key.asymmetricKeyType}`);
    return new AuditSigningKey(key);
  }

  /** Ed25519 signs the message itself (no pre-hash), base64. */
  sign(message: string): string {
    return sign(null, Buffer.from(message, 'utf8'), this.privateKey).toString('base64');
  }

  verify(message: string, signatureBase64: string): boolean {
    return verifySignature(this.publicKey, message, signatureBase64);
  }
}

export function publicKeyId(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function verifySignature(publicKey: KeyObject | string, message: string, signatureBase64: string): boolean {
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
