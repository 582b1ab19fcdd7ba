import { describe, expect, test } from 'vitest';
import { VaultError, type VaultErrorCode } from './errors.js';
import { createMnemonicSecret, importSecret, ownerAccountOf, vaultSecretSchema } from './secret.js';

// Well-known test vectors (Hardhat/anvil's default phrase and its first keys).
const TEST_MNEMONIC = 'test test test test test test test test test test test junk';
const ANVIL_KEY_0 = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const ANVIL_ADDRESS_0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const ANVIL_ADDRESS_1 = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const VALID_24 = `${'abandon '.repeat(23)}art`;
const SECP256K1_N = 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141';

function vaultErrorOf(fn: () => unknown): VaultError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VaultError);
    return e as VaultError;
  }
  throw new Error('expected a VaultError');
}

function expectCode(fn: () => unknown, code: VaultErrorCode): VaultError {
  const err = vaultErrorOf(fn);
  expect(err.code).toBe(code);
  return err;
}

describe('createMnemonicSecret', () => {
  test('test_CreatesAValid12WordPhrase', () => {
    const secret = createMnemonicSecret();
    expect(secret.kind).toBe('mnemonic');
    if (secret.kind !== 'mnemonic') return;
    expect(secret.mnemonic.split(' ')).toHaveLength(12);
    expect(importSecret(secret.mnemonic)).toEqual(secret);
    expect(vaultSecretSchema.safeParse(secret).success).toBe(true);
  });

  test('test_EachPhraseIsFresh', () => {
    const a = createMnemonicSecret();
    const b = createMnemonicSecret();
    expect(a).not.toEqual(b);
  });
});

describe('importSecret: phrases', () => {
  test('test_Imports12Words', () => {
    expect(importSecret(TEST_MNEMONIC)).toEqual({ kind: 'mnemonic', mnemonic: TEST_MNEMONIC });
  });

  test('test_Imports24Words', () => {
    expect(importSecret(VALID_24)).toEqual({ kind: 'mnemonic', mnemonic: VALID_24 });
  });

  test('test_NormalisesCaseAndWhitespace', () => {
    const messy = `  Test TEST\ttest\n\ntest test  test test test test test test   JUNK \n`;
    expect(importSecret(messy)).toEqual({ kind: 'mnemonic', mnemonic: TEST_MNEMONIC });
  });

  test('test_RevertWhen_WrongWordCount', () => {
    const err = expectCode(() => importSecret('test test test test test test test test test test test'), 'INVALID_SECRET');
    expect(err.message).toMatch(/12 or 24 words; this one has 11/);
    expectCode(() => importSecret(`${'abandon '.repeat(14)}about`), 'INVALID_SECRET'); // 15 words: valid BIP-39, not offered
    expectCode(() => importSecret('hello'), 'INVALID_SECRET');
  });

  test('test_RevertWhen_WordNotInList_NamesThePositionNotTheWord', () => {
    const err = expectCode(() => importSecret('test test test test zebrafish test test test test test test junk'), 'INVALID_SECRET');
    expect(err.message).toMatch(/Word 5 is not in the BIP-39 English word list/);
    expect(err.message).not.toMatch(/zebrafish/);

    const two = expectCode(() => importSecret('tset test test test test test test test test test test jnuk'), 'INVALID_SECRET');
    expect(two.message).toMatch(/Words 1, 12 are not/);
  });

  test('test_RevertWhen_ChecksumWrong', () => {
    const err = expectCode(() => importSecret('abandon '.repeat(12).trim()), 'INVALID_SECRET');
    expect(err.message).toMatch(/does not check out/);
    // Two words swapped: every word is valid, the checksum is not.
    expectCode(() => importSecret('test test test test test test test test test test junk test'), 'INVALID_SECRET');
  });
});

describe('importSecret: private keys', () => {
  test('test_ImportsWithAndWithout0x', () => {
    const expected = { kind: 'privateKey', privateKey: ANVIL_KEY_0 };
    expect(importSecret(ANVIL_KEY_0)).toEqual(expected);
    expect(importSecret(ANVIL_KEY_0.slice(2))).toEqual(expected);
    expect(importSecret(`  ${ANVIL_KEY_0.toUpperCase().replace('0X', '0x')}\n`)).toEqual(expected);
    expect(importSecret(`0X${ANVIL_KEY_0.slice(2)}`)).toEqual(expected);
  });

  test('test_RevertWhen_WrongLength', () => {
    const err = expectCode(() => importSecret(ANVIL_KEY_0.slice(0, -2)), 'INVALID_SECRET');
    expect(err.message).toMatch(/64 hexadecimal characters/);
    expectCode(() => importSecret(`${ANVIL_KEY_0}00`), 'INVALID_SECRET');
    expectCode(() => importSecret('0x'), 'INVALID_SECRET');
    expectCode(() => importSecret(`0x${'zz'.repeat(32)}`), 'INVALID_SECRET');
  });

  test('test_RevertWhen_OutOfCurveRange', () => {
    expectCode(() => importSecret(`0x${'0'.repeat(64)}`), 'INVALID_SECRET');
    expectCode(() => importSecret(`0x${SECP256K1_N}`), 'INVALID_SECRET');
    expectCode(() => importSecret(`0x${'f'.repeat(64)}`), 'INVALID_SECRET');
    // n - 1 is the largest valid key.
    const nMinus1 = `0x${(BigInt(`0x${SECP256K1_N}`) - 1n).toString(16)}`;
    expect(importSecret(nMinus1).kind).toBe('privateKey');
  });
});

test('test_ErrorMessagesNeverContainTheInput', () => {
  const inputs = [
    '',
    'correct horse battery staple',
    'test test test test zebrafish test test test test test test junk',
    'abandon '.repeat(12),
    ANVIL_KEY_0.slice(0, -1),
    `0x${SECP256K1_N}`,
  ];
  for (const input of inputs) {
    const err = expectCode(() => importSecret(input), 'INVALID_SECRET');
    expect(err.message.length).toBeGreaterThan(20);
    for (const piece of input.split(/\s+/).filter((p) => p.length >= 5)) {
      expect(err.message.toLowerCase()).not.toContain(piece.toLowerCase());
    }
  }
});

describe('ownerAccountOf', () => {
  test('test_DerivesBip44Addresses', () => {
    const secret = importSecret(TEST_MNEMONIC);
    expect(ownerAccountOf(secret).address).toBe(ANVIL_ADDRESS_0);
    expect(ownerAccountOf(secret, 1).address).toBe(ANVIL_ADDRESS_1);
  });

  test('test_PrivateKeyAccount', () => {
    const account = ownerAccountOf(importSecret(ANVIL_KEY_0));
    expect(account.address).toBe(ANVIL_ADDRESS_0);
    expect(account.type).toBe('local');
  });

  test('test_RevertWhen_PrivateKeyAskedForAnotherIndex', () => {
    expectCode(() => ownerAccountOf(importSecret(ANVIL_KEY_0), 1), 'NO_SUCH_ACCOUNT');
  });

  test('test_RevertWhen_IndexInvalid', () => {
    const secret = importSecret(TEST_MNEMONIC);
    for (const index of [-1, 1.5, 2 ** 31, Number.NaN]) expectCode(() => ownerAccountOf(secret, index), 'NO_SUCH_ACCOUNT');
  });
});

describe('vaultSecretSchema', () => {
  test('test_RejectsUnnormalisedOrInvalidSecrets', () => {
    const bad = [
      { kind: 'mnemonic', mnemonic: TEST_MNEMONIC.toUpperCase() },
      { kind: 'mnemonic', mnemonic: `${TEST_MNEMONIC} ` },
      { kind: 'mnemonic', mnemonic: 'abandon '.repeat(12).trim() },
      { kind: 'privateKey', privateKey: ANVIL_KEY_0.toUpperCase().replace('0X', '0x') },
      { kind: 'privateKey', privateKey: ANVIL_KEY_0.slice(2) },
      { kind: 'privateKey', privateKey: ANVIL_KEY_0, extra: 1 },
      { kind: 'seed', seed: '0x00' },
    ];
    for (const b of bad) expect(vaultSecretSchema.safeParse(b).success).toBe(false);
  });
});
