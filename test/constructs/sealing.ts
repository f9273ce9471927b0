import * as crypto from 'crypto';

let keyPair: crypto.KeyPairKeyObjectResult | undefined;

/**
 * Seals a value the way kubeseal does (RSA-OAEP SHA-256 session key with the scope
 * label, AES-256-GCM with a zero nonce), for realistic fixtures.
 */
export function seal(plaintext: string, namespace = 'shop', name = 'db-credentials'): string {
  keyPair ??= crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sessionKey = crypto.randomBytes(32);
  const encryptedKey = crypto.publicEncrypt({
    key: keyPair.publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(`${namespace}/${name}`),
  }, sessionKey);
  const cipher = crypto.createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(encryptedKey.length);
  return Buffer.concat([length, encryptedKey, body]).toString('base64');
}
