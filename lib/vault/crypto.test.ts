import { describe, expect, test } from 'vitest';
import { DEFAULT_ITERATIONS, MAX_ITERATIONS, MIN_ITERATIONS, decryptVault, encryptVault, type EncryptedVault } from './crypto.js';
import { VaultError, type VaultErrorCode } from './errors.js';
import { createMnemonicSecret, importSecret, type VaultSecret } from './secret.js';

// Everything but the KDF-cost test runs at the floor, so the suite stays fast.
const FAST = { iterations: MIN_ITERATIONS };
const PASSWORD = 'correct horse battery staple';
const MNEMONIC: VaultSecret = importSecret('test test test test test test test test test test test junk');
const PRIVATE_KEY: VaultSecret = importSecret('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');

async function rejection(p: Promise<unknown>): Promise<VaultError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(VaultError);
    return e as VaultError;
  }
  throw new Error('expected a VaultError');
}

async function expectCode(p: Promise<unknown>, code: VaultErrorCode): Promise<VaultError> {
  const err = await rejection(p);
  expect(err.code).toBe(code);
  return err;
}

const clone = (v: EncryptedVault): EncryptedVault => JSON.parse(JSON.stringify(v));

const b64 = {
  decode: (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0)),
  encode: (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)),
  /** The same base64 field with one bit of byte `i` flipped. */
  flip: (s: string, i = 0) => {
    const bytes = b64.decode(s);
    bytes[i]! ^= 0x01;
    return b64.encode(bytes);
  },
};

/**
 * The version-1 format written out independently of crypto.ts: key from PBKDF2, header as the AAD.
 * Used to prove the header really is authenticated and to seal content encryptVault would refuse.
 */
async function seal(plaintext: string, password: string, iterations = MIN_ITERATIONS): Promise<EncryptedVault> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const header = {
    version: 1,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: b64.encode(salt) },
    cipher: { name: 'AES-GCM', iv: b64.encode(iv) },
  } as const;
  const key = await deriveKey(password, salt, iterations);
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(JSON.stringify(header)) },
    key,
    new TextEncoder().encode(plaintext),
  );
  return { ...header, ciphertext: b64.encode(new Uint8Array(ct)) };
}

async function deriveKey(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, { name: 'AES-GCM', length: 256 }, false, ['decrypt', 'encrypt']);
}

describe('round trip', () => {
  test('test_Mnemonic', async () => {
    const vault = await encryptVault(MNEMONIC, PASSWORD, FAST);
    expect(await decryptVault(vault, PASSWORD)).toEqual(MNEMONIC);
  });

  test('test_PrivateKey', async () => {
    const vault = await encryptVault(PRIVATE_KEY, PASSWORD, FAST);
    expect(await decryptVault(vault, PASSWORD)).toEqual(PRIVATE_KEY);
  });

  test('test_ThroughJsonStorage', async () => {
    const secret = createMnemonicSecret();
    const stored = JSON.stringify(await encryptVault(secret, PASSWORD, FAST));
    expect(await decryptVault(stored, PASSWORD)).toEqual(secret); // the JSON text
    expect(await decryptVault(JSON.parse(stored), PASSWORD)).toEqual(secret); // the parsed object
  });

  test('test_WritesTheDocumentedShape', async () => {
    const vault = await encryptVault(MNEMONIC, PASSWORD, FAST);
    expect(vault).toEqual({
      version: 1,
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: MIN_ITERATIONS, salt: expect.any(String) },
      cipher: { name: 'AES-GCM', iv: expect.any(String) },
      ciphertext: expect.any(String),
    });
    expect(b64.decode(vault.kdf.salt)).toHaveLength(16);
    expect(b64.decode(vault.cipher.iv)).toHaveLength(12);
  });

  test('test_DefaultsTo600kIterations', async () => {
    expect(DEFAULT_ITERATIONS).toBe(600_000);
    expect(MIN_ITERATIONS).toBeGreaterThanOrEqual(100_000);
  });

  test('test_FreshSaltAndIvEveryTime', async () => {
    const a = await encryptVault(MNEMONIC, PASSWORD, FAST);
    const b = await encryptVault(MNEMONIC, PASSWORD, FAST);
    expect(a.kdf.salt).not.toBe(b.kdf.salt);
    expect(a.cipher.iv).not.toBe(b.cipher.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  test('test_PasswordIsNfkcNormalised', async () => {
    // "é" precomposed vs e + combining accent: the same password typed two ways.
    const vault = await encryptVault(MNEMONIC, 'caf\u00e9', FAST);
    expect(await decryptVault(vault, 'cafe\u0301')).toEqual(MNEMONIC);
  });

  test('test_HeaderIsBoundAsAdditionalData', async () => {
    // Decrypting by hand with the right key but without the header as AAD fails; with it, succeeds.
    const vault = await encryptVault(MNEMONIC, PASSWORD, FAST);
    const key = await deriveKey(PASSWORD, b64.decode(vault.kdf.salt), vault.kdf.iterations);
    const iv = b64.decode(vault.cipher.iv);
    const ct = b64.decode(vault.ciphertext);
    await expect(crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, ct)).rejects.toThrow();
    const { ciphertext: _, ...header } = vault;
    const aad = new TextEncoder().encode(JSON.stringify(header));
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, ct);
    expect(JSON.parse(new TextDecoder().decode(plain))).toEqual(MNEMONIC);
  });
});

describe('wrong password and tampering', () => {
  test('test_RevertWhen_WrongPassword', async () => {
    const vault = await encryptVault(MNEMONIC, PASSWORD, FAST);
    await expectCode(decryptVault(vault, 'correct horse battery stapler'), 'WRONG_PASSWORD_OR_TAMPERED');
    await expectCode(decryptVault(vault, ''), 'WRONG_PASSWORD_OR_TAMPERED');
  });

  test('test_RevertWhen_IterationsChanged', async () => {
    const vault = await encryptVault(MNEMONIC, PASSWORD, FAST);
    const t = clone(vault);
    t.kdf.iterations = MIN_ITERATIONS + 1;
    await expectCode(decryptVault(t, PASSWORD), 'WRONG_PASSWORD_OR_TAMPERED');
  });

  test('test_RevertWhen_SaltChanged', async () => {
    const vault = await encryptVault(MNEMONIC, PASSWORD, FAST);
    const t = clone(vault);
    t.kdf.salt = b64.flip(t.kdf.salt, 15);
    await expectCode(decryptVault(t, PASSWORD), 'WRONG_PASSWORD_OR_TAMPERED');
  });

  test('test_RevertWhen_IvChanged', async () => {
    const vault = await encryptVault(MNEMONIC, PASSWORD, FAST);
    const t = clone(vault);
    t.cipher.iv = b64.flip(t.cipher.iv, 0);
    await expectCode(decryptVault(t, PASSWORD), 'WRONG_PASSWORD_OR_TAMPERED');
  });

  test('test_RevertWhen_CiphertextOrTagChanged', async () => {
    const vault = await encryptVault(MNEMONIC, PASSWORD, FAST);
    const n = b64.decode(vault.ciphertext).length;
    for (const i of [0, n - 17, n - 16, n - 1]) {
      // first body byte, last body byte, first and last tag byte
      const t = clone(vault);
      t.ciphertext = b64.flip(t.ciphertext, i);
      await expectCode(decryptVault(t, PASSWORD), 'WRONG_PASSWORD_OR_TAMPERED');
    }
    const truncated = clone(vault);
    truncated.ciphertext = b64.encode(b64.decode(vault.ciphertext).slice(0, n - 1));
    await expectCode(decryptVault(truncated, PASSWORD), 'WRONG_PASSWORD_OR_TAMPERED');
  });

  test('test_RevertWhen_VersionChanged', async () => {
    const vault = await encryptVault(MNEMONIC, PASSWORD, FAST);
    await expectCode(decryptVault({ ...clone(vault), version: 2 }, PASSWORD), 'UNSUPPORTED_VERSION');
    await expectCode(decryptVault({ ...clone(vault), version: 0 }, PASSWORD), 'MALFORMED');
    await expectCode(decryptVault({ ...clone(vault), version: '1' }, PASSWORD), 'MALFORMED');
  });

  test('test_RevertWhen_AlgorithmNamesChanged', async () => {
    const vault = await encryptVault(MNEMONIC, PASSWORD, FAST);
    await expectCode(decryptVault({ ...clone(vault), kdf: { ...vault.kdf, hash: 'SHA-1' } }, PASSWORD), 'MALFORMED');
    await expectCode(decryptVault({ ...clone(vault), cipher: { ...vault.cipher, name: 'AES-CBC' } }, PASSWORD), 'MALFORMED');
  });

  test('test_WrongPasswordAndTamperingLookTheSame', async () => {
    const vault = await encryptVault(MNEMONIC, PASSWORD, FAST);
    const t = clone(vault);
    t.ciphertext = b64.flip(t.ciphertext, 3);
    const a = await rejection(decryptVault(vault, 'nope'));
    const b = await rejection(decryptVault(t, PASSWORD));
    expect([a.code, a.message, a.cause]).toEqual([b.code, b.message, b.cause]);
  });
});

describe('KDF downgrade', () => {
  test('test_RevertWhen_StoredIterationsBelowFloor', async () => {
    // Refused before any KDF work, even when the vault is otherwise genuine (sealed at a low count
    // by someone who knows the password), so no weak parameters are ever adopted from storage.
    const weak = await seal(JSON.stringify(MNEMONIC), PASSWORD, 1_000);
    const err = await expectCode(decryptVault(weak, PASSWORD), 'WEAK_KDF');
    expect(err.message).toMatch(/below the minimum/);

    const vault = await encryptVault(MNEMONIC, PASSWORD, FAST);
    for (const iterations of [1, 1_000, MIN_ITERATIONS - 1]) {
      await expectCode(decryptVault({ ...clone(vault), kdf: { ...vault.kdf, iterations } }, PASSWORD), 'WEAK_KDF');
    }
  });

  test('test_RevertWhen_StoredIterationsAbsurd', async () => {
    // A huge count would hang the service worker: malformed, not attempted.
    const vault = await encryptVault(MNEMONIC, PASSWORD, FAST);
    for (const iterations of [MAX_ITERATIONS + 1, 1e15, 1.5e5 + 0.5, -1]) {
      await expectCode(decryptVault({ ...clone(vault), kdf: { ...vault.kdf, iterations } }, PASSWORD), 'MALFORMED');
    }
  });

  test('test_RevertWhen_EncryptingBelowFloor', async () => {
    await expectCode(encryptVault(MNEMONIC, PASSWORD, { iterations: MIN_ITERATIONS - 1 }), 'WEAK_KDF');
    await expect(encryptVault(MNEMONIC, PASSWORD, { iterations: MAX_ITERATIONS + 1 })).rejects.toThrow(RangeError);
  });
});

describe('malformed input', () => {
  test('test_RevertWhen_NotJson', async () => {
    for (const stored of ['', 'not json', '{"version":1', 'null', '[]', '42']) {
      await expectCode(decryptVault(stored, PASSWORD), 'MALFORMED');
    }
    for (const stored of [null, undefined, 42, [], {}]) {
      await expectCode(decryptVault(stored, PASSWORD), 'MALFORMED');
    }
  });

  test('test_RevertWhen_FieldsMissingOrWrong', async () => {
    const vault = await encryptVault(MNEMONIC, PASSWORD, FAST);
    const { ciphertext: _, ...noCiphertext } = vault;
    const bad: unknown[] = [
      noCiphertext,
      { ...vault, extra: 'x' }, // unauthenticated extras are refused, not ignored
      { ...vault, kdf: { ...vault.kdf, salt: b64.encode(new Uint8Array(8)) } }, // short salt
      { ...vault, cipher: { ...vault.cipher, iv: b64.encode(new Uint8Array(16)) } }, // long iv
      { ...vault, cipher: { ...vault.cipher, iv: `${vault.cipher.iv.slice(0, -1)}!` } }, // not base64
      { ...vault, kdf: { ...vault.kdf, salt: vault.kdf.salt.replace(/==$/, '') } }, // unpadded
      { ...vault, ciphertext: b64.encode(new Uint8Array(15)) }, // shorter than the GCM tag
      { ...vault, kdf: { ...vault.kdf, iterations: String(vault.kdf.iterations) } },
    ];
    for (const b of bad) await expectCode(decryptVault(b, PASSWORD), 'MALFORMED');
  });

  test('test_RevertWhen_NonCanonicalBase64', async () => {
    // 16 bytes encode to 22 chars + "=="; the last char carries 4 unused bits. Setting them gives
    // the same bytes in a different spelling, which is refused.
    const vault = await encryptVault(MNEMONIC, PASSWORD, FAST);
    const salt = vault.kdf.salt;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const last = alphabet.indexOf(salt[21]!);
    const other = `${salt.slice(0, 21)}${alphabet[last ^ 0x01]}==`;
    expect(b64.decode(other)).toEqual(b64.decode(salt));
    await expectCode(decryptVault({ ...vault, kdf: { ...vault.kdf, salt: other } }, PASSWORD), 'MALFORMED');
  });

  test('test_RevertWhen_SealedContentIsNotASecret', async () => {
    for (const content of ['not json', '{"kind":"seed","seed":"0x00"}', JSON.stringify({ kind: 'mnemonic', mnemonic: 'abandon '.repeat(12).trim() })]) {
      const vault = await seal(content, PASSWORD);
      const err = await expectCode(decryptVault(vault, PASSWORD), 'MALFORMED');
      expect(err.cause).toBeUndefined(); // zod issues could echo the decrypted content
    }
  });

  test('test_RevertWhen_EncryptingInvalidInput', async () => {
    await expectCode(encryptVault(MNEMONIC, '', FAST), 'INVALID_PASSWORD');
    await expectCode(encryptVault({ kind: 'mnemonic', mnemonic: 'abandon '.repeat(12).trim() }, PASSWORD, FAST), 'INVALID_SECRET');
    await expectCode(encryptVault({ kind: 'privateKey', privateKey: '0x00' }, PASSWORD, FAST), 'INVALID_SECRET');
  });
});

describe('nothing leaks', () => {
  test('test_VaultJsonHasNoSecretInClear', async () => {
    for (const secret of [MNEMONIC, PRIVATE_KEY, createMnemonicSecret()]) {
      const stored = JSON.stringify(await encryptVault(secret, PASSWORD, FAST)).toLowerCase();
      if (secret.kind === 'mnemonic') {
        expect(stored).not.toContain(secret.mnemonic);
        expect(stored).not.toContain(secret.mnemonic.replaceAll(' ', ''));
        expect(stored).not.toContain('mnemonic');
      } else {
        expect(stored).not.toContain(secret.privateKey.slice(2));
        expect(stored).not.toContain('privatekey');
      }
      expect(stored).not.toContain(PASSWORD);
      expect(stored).not.toContain('kind');
    }
  });

  test('test_ErrorsCarryNeitherSecretNorPassword', async () => {
    const vault = await encryptVault(PRIVATE_KEY, PASSWORD, FAST);
    const errors = [
      await rejection(decryptVault(vault, 'hunter2-wrong')),
      await rejection(decryptVault({ ...vault, kdf: { ...vault.kdf, iterations: 10 } }, PASSWORD)),
      await rejection(decryptVault({ ...vault, extra: 1 }, PASSWORD)),
      await rejection(encryptVault({ kind: 'mnemonic', mnemonic: 'abandon '.repeat(12).trim() }, PASSWORD, FAST)),
    ];
    for (const err of errors) {
      const text = `${err.message} ${String(err.stack)} ${JSON.stringify(err)} ${String(err.cause ?? '')}`;
      for (const needle of [PASSWORD, 'hunter2-wrong', PRIVATE_KEY.kind === 'privateKey' ? PRIVATE_KEY.privateKey.slice(2) : '', 'abandon abandon']) {
        expect(text).not.toContain(needle);
      }
    }
  });
});

test('test_KdfCost_OneDecryptAtDefaultIterationsIsSlow', async () => {
  const vault = await encryptVault(MNEMONIC, PASSWORD); // DEFAULT_ITERATIONS
  expect(vault.kdf.iterations).toBe(DEFAULT_ITERATIONS);
  const start = performance.now();
  await expectCode(decryptVault(vault, 'a wrong guess'), 'WRONG_PASSWORD_OR_TAMPERED');
  const wrongMs = performance.now() - start;
  const start2 = performance.now();
  expect(await decryptVault(vault, PASSWORD)).toEqual(MNEMONIC);
  const rightMs = performance.now() - start2;
  console.log(
    `vault KDF cost: one decrypt at ${DEFAULT_ITERATIONS} PBKDF2-SHA256 iterations took ` +
      `${rightMs.toFixed(0)} ms (right password), ${wrongMs.toFixed(0)} ms (wrong password)`,
  );
  // Each guess must cost real time; a wrong guess costs the same as a right one.
  expect(wrongMs).toBeGreaterThan(50);
  expect(rightMs).toBeGreaterThan(50);
}, 60_000);
