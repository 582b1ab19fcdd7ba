// The owner's key material as the vault stores it: a BIP-39 phrase (the wallet derives accounts
// from it) or a single raw private key (imported from another wallet). Everything that turns user
// input into a VaultSecret goes through `importSecret`, so what is stored is always normalised and
// valid.
import { validateMnemonic } from '@scure/bip39';
import type { Hex } from 'viem';
import { english, generateMnemonic, mnemonicToAccount, privateKeyToAccount, type LocalAccount } from 'viem/accounts';
import { z } from 'zod';
import { VaultError } from './errors.js';

export type VaultSecret = { kind: 'mnemonic'; mnemonic: string } | { kind: 'privateKey'; privateKey: Hex };

/** secp256k1 group order: a private key is an integer in [1, n-1]. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
/** The phrase lengths the onboarding screen offers. */
const MNEMONIC_WORD_COUNTS = [12, 24] as const;
const englishWords = new Set(english);

function isValidPrivateKey(key: string): boolean {
  if (!/^0x[0-9a-f]{64}$/.test(key)) return false;
  const k = BigInt(key);
  return k > 0n && k < SECP256K1_N;
}

/**
 * The stored form of a secret, checked both before encrypting and after decrypting: a normalised
 * phrase (lower case, single spaces) with a valid checksum, or a lower-case 0x key in range.
 * Parse failures must not be passed on as an error `cause`: zod issues can echo the value.
 */
export const vaultSecretSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('mnemonic'),
      mnemonic: z
        .string()
        .refine((m) => MNEMONIC_WORD_COUNTS.includes(m.split(' ').length as 12 | 24) && m === normaliseMnemonic(m) && validateMnemonic(m, english)),
    })
    .strict(),
  z
    .object({
      kind: z.literal('privateKey'),
      privateKey: z
        .string()
        .refine(isValidPrivateKey)
        .transform((k) => k as Hex),
    })
    .strict(),
]);

/** A fresh 12-word (128-bit) BIP-39 phrase from the platform's CSPRNG. */
export function createMnemonicSecret(): VaultSecret {
  return { kind: 'mnemonic', mnemonic: generateMnemonic(english, 128) };
}

function normaliseMnemonic(input: string): string {
  return input.normalize('NFKD').trim().toLowerCase().split(/\s+/).join(' ');
}

function invalid(message: string): VaultError {
  return new VaultError('INVALID_SECRET', message);
}

/**
 * What a person pasted into "Secret recovery phrase" or "Private key": a 12- or 24-word BIP-39
 * English phrase (any case and spacing) or a 32-byte hex private key (with or without 0x).
 * Throws VaultError 'INVALID_SECRET' with a message that says what is wrong, never what was typed.
 */
export function importSecret(input: string): VaultSecret {
  const trimmed = input.trim();
  if (trimmed === '') throw invalid('Enter a secret recovery phrase (12 or 24 words) or a private key.');

  // One token that starts with 0x or is all hex is an attempt at a private key (no BIP-39 phrase
  // is a single word).
  if (/^0x/i.test(trimmed) || /^[0-9a-f]+$/i.test(trimmed)) {
    const hex = trimmed.replace(/^0x/i, '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hex)) {
      throw invalid('A private key is 64 hexadecimal characters (32 bytes), with or without 0x in front.');
    }
    const privateKey = `0x${hex}` as const;
    if (!isValidPrivateKey(privateKey)) {
      throw invalid('This is not a usable private key: it is zero or not below the secp256k1 curve order.');
    }
    return { kind: 'privateKey', privateKey };
  }

  const mnemonic = normaliseMnemonic(trimmed);
  const words = mnemonic.split(' ');
  if (!MNEMONIC_WORD_COUNTS.includes(words.length as 12 | 24)) {
    throw invalid(`A secret recovery phrase has 12 or 24 words; this one has ${words.length}.`);
  }
  // Positions, not the words themselves, so the message is safe to show and to log.
  const unknown = words.flatMap((w, i) => (englishWords.has(w) ? [] : [i + 1]));
  if (unknown.length > 0) {
    const which = unknown.length === 1 ? `Word ${unknown[0]} is` : `Words ${unknown.join(', ')} are`;
    throw invalid(`${which} not in the BIP-39 English word list. Check the spelling.`);
  }
  if (!validateMnemonic(mnemonic, english)) {
    throw invalid('Every word is in the word list, but the phrase does not check out: look for a mistyped word or two words in the wrong order.');
  }
  return { kind: 'mnemonic', mnemonic };
}

/**
 * The owner's signing account. For a phrase, `index` is the BIP-44 address index
 * (m/44'/60'/0'/0/index, what MetaMask and most wallets derive); a private key has only index 0.
 */
export function ownerAccountOf(secret: VaultSecret, index = 0): LocalAccount {
  if (!Number.isSafeInteger(index) || index < 0 || index >= 2 ** 31) {
    throw new VaultError('NO_SUCH_ACCOUNT', 'An account index is a whole number from 0 to 2^31 - 1.');
  }
  if (secret.kind === 'privateKey') {
    if (index !== 0) throw new VaultError('NO_SUCH_ACCOUNT', 'A wallet imported from a private key has one account (index 0).');
    return privateKeyToAccount(secret.privateKey);
  }
  return mnemonicToAccount(secret.mnemonic, { addressIndex: index });
}
