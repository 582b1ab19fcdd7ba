// The owner's secret at rest: AES-256-GCM under a key stretched from the password with
// PBKDF2-SHA256. WebCrypto only, so the same code runs in Node (tests, agent) and in the
// extension's service worker.
//
// Format (version 1), all binary fields base64:
//   { version, kdf: { name, hash, iterations, salt }, cipher: { name, iv }, ciphertext }
// The header (everything but `ciphertext`) is AES-GCM additional data, so editing any of it is
// caught by the tag even where it would not change the key. Passwords are NFKC-normalised before
// use, so the same password typed with a different keyboard or IME opens the vault; that is part
// of version 1 and must not change without a new version.
import { z } from 'zod';
import { VaultError } from './errors.js';
import { vaultSecretSchema, type VaultSecret } from './secret.js';

/**
 * OWASP's Password Storage Cheat Sheet (2023) recommends 600,000 iterations for PBKDF2-HMAC-SHA256
 * so that each offline guess against a stolen vault costs as much as the user can bear to wait
 * once per unlock.
 */
export const DEFAULT_ITERATIONS = 600_000;
/**
 * Stored vaults below this are refused rather than opened: otherwise anyone who can write to
 * extension storage could swap in a cheap KDF and wait for the next unlock.
 */
export const MIN_ITERATIONS = 100_000;
/** Above this a stored vault is malformed: an edited huge count would hang the service worker. */
export const MAX_ITERATIONS = 10_000_000;

const VERSION = 1;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const GCM_TAG_BYTES = 16;

export type EncryptedVault = {
  version: 1;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  cipher: { name: 'AES-GCM'; iv: string };
  ciphertext: string;
};

export type EncryptVaultOptions = {
  /** PBKDF2 iterations, MIN_ITERATIONS..MAX_ITERATIONS. Default DEFAULT_ITERATIONS; tests go lower. */
  iterations?: number;
};

// ---- base64 (btoa/atob exist in Node and in workers; Buffer does not exist in a service worker)

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Canonical base64 only (re-encodes to the same string), so one vault has one spelling. */
function base64Bytes(min: number, max = min) {
  return z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/)
    .refine(
      (s) => {
        try {
          const n = fromBase64(s);
          return toBase64(n) === s && n.length >= min && n.length <= max;
        } catch {
          return false;
        }
      },
      `expected base64 of ${min === max ? min : `at least ${min}`} bytes`,
    );
}

const versionSchema = z.object({ version: z.number().int().positive() }).passthrough();

const encryptedVaultSchema = z
  .object({
    version: z.literal(VERSION),
    kdf: z
      .object({
        name: z.literal('PBKDF2'),
        hash: z.literal('SHA-256'),
        iterations: z.number().int().positive().max(MAX_ITERATIONS),
        salt: base64Bytes(SALT_BYTES),
      })
      .strict(),
    cipher: z.object({ name: z.literal('AES-GCM'), iv: base64Bytes(IV_BYTES) }).strict(),
    ciphertext: base64Bytes(GCM_TAG_BYTES, Number.MAX_SAFE_INTEGER),
  })
  .strict();

/**
 * The bytes the tag authenticates besides the ciphertext: the header rebuilt in a fixed key order
 * (not the stored object's order, which storage round trips may not keep).
 */
function headerBytes(v: Omit<EncryptedVault, 'ciphertext'>): Uint8Array<ArrayBuffer> {
  const header = {
    version: v.version,
    kdf: { name: v.kdf.name, hash: v.kdf.hash, iterations: v.kdf.iterations, salt: v.kdf.salt },
    cipher: { name: v.cipher.name, iv: v.cipher.iv },
  };
  return new TextEncoder().encode(JSON.stringify(header));
}

async function deriveKey(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const passwordBytes = new TextEncoder().encode(password.normalize('NFKC'));
  try {
    const base = await crypto.subtle.importKey('raw', passwordBytes, 'PBKDF2', false, ['deriveKey']);
    return await crypto.subtle.deriveKey(
      { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
      base,
      { name: 'AES-GCM', length: 256 },
      false, // not extractable: the derived key never leaves WebCrypto
      ['encrypt', 'decrypt'],
    );
  } finally {
    passwordBytes.fill(0);
  }
}

/** Encrypts the owner's secret under `password`, with a fresh random salt and IV every time. */
export async function encryptVault(secret: VaultSecret, password: string, opts: EncryptVaultOptions = {}): Promise<EncryptedVault> {
  const iterations = opts.iterations ?? DEFAULT_ITERATIONS;
  if (!Number.isSafeInteger(iterations) || iterations > MAX_ITERATIONS) {
    throw new RangeError(`iterations must be a whole number up to ${MAX_ITERATIONS}`);
  }
  if (iterations < MIN_ITERATIONS) {
    throw new VaultError('WEAK_KDF', `A vault needs at least ${MIN_ITERATIONS} PBKDF2 iterations.`);
  }
  if (password.length === 0) throw new VaultError('INVALID_PASSWORD', 'The password must not be empty.');
  const parsed = vaultSecretSchema.safeParse(secret);
  if (!parsed.success) throw new VaultError('INVALID_SECRET', 'The secret to encrypt is not a valid phrase or private key.');

  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const header = {
    version: VERSION,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toBase64(salt) },
    cipher: { name: 'AES-GCM', iv: toBase64(iv) },
  } as const;
  const key = await deriveKey(password, salt, iterations);
  // Only the known fields are serialised, so nothing else that rode along on `secret` is stored.
  const s = parsed.data;
  const plaintext = new TextEncoder().encode(
    JSON.stringify(s.kind === 'mnemonic' ? { kind: s.kind, mnemonic: s.mnemonic } : { kind: s.kind, privateKey: s.privateKey }),
  );
  try {
    const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: headerBytes(header), tagLength: GCM_TAG_BYTES * 8 }, key, plaintext);
    return { ...header, ciphertext: toBase64(new Uint8Array(ciphertext)) };
  } finally {
    plaintext.fill(0); // best effort: JS strings holding the secret cannot be wiped
  }
}

/**
 * Opens a vault written by `encryptVault`, given the stored object or its JSON text.
 * Throws VaultError: 'MALFORMED' (not a vault), 'UNSUPPORTED_VERSION', 'WEAK_KDF' (iterations
 * below MIN_ITERATIONS), 'WRONG_PASSWORD_OR_TAMPERED'.
 */
export async function decryptVault(vault: unknown, password: string): Promise<VaultSecret> {
  let raw = vault;
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      throw new VaultError('MALFORMED', 'The stored vault is not valid JSON.');
    }
  }
  const versioned = versionSchema.safeParse(raw);
  if (!versioned.success) throw new VaultError('MALFORMED', 'The stored vault has no format version.');
  if (versioned.data.version !== VERSION) {
    throw new VaultError('UNSUPPORTED_VERSION', `This vault has format version ${versioned.data.version}; this build reads version ${VERSION}.`);
  }
  const parsed = encryptedVaultSchema.safeParse(raw);
  if (!parsed.success) {
    // The vault holds no plaintext, so zod's issues are safe to keep for debugging.
    throw new VaultError('MALFORMED', 'The stored vault does not have the expected fields.', { cause: parsed.error });
  }
  const v = parsed.data;
  if (v.kdf.iterations < MIN_ITERATIONS) {
    throw new VaultError(
      'WEAK_KDF',
      `The stored vault asks for ${v.kdf.iterations} PBKDF2 iterations, below the minimum of ${MIN_ITERATIONS}; refusing to open it.`,
    );
  }

  let plaintext: Uint8Array;
  try {
    const key = await deriveKey(password, fromBase64(v.kdf.salt), v.kdf.iterations);
    const out = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(v.cipher.iv), additionalData: headerBytes(v), tagLength: GCM_TAG_BYTES * 8 },
      key,
      fromBase64(v.ciphertext),
    );
    plaintext = new Uint8Array(out);
  } catch {
    // No cause: GCM says only "the tag did not match", and wrong password vs tampering must not be
    // told apart.
    throw new VaultError('WRONG_PASSWORD_OR_TAMPERED', 'Wrong password, or the stored vault was changed.');
  }

  try {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
    } catch {
      throw new VaultError('MALFORMED', 'The vault opened, but its content is not a secret this build reads.');
    }
    const secret = vaultSecretSchema.safeParse(json);
    // No cause here: zod issues could echo the decrypted secret.
    if (!secret.success) throw new VaultError('MALFORMED', 'The vault opened, but its content is not a secret this build reads.');
    return secret.data;
  } finally {
    plaintext.fill(0);
  }
}
