// The owner's wallet in the background: the encrypted vault in persistent storage, the decrypted
// secret in memory only (the lock state), and the few operations the popup may ask for. Storage
// and clock are injected, so the same code runs in the service worker and in unit tests.
import {
  createLockState,
  createMnemonicSecret,
  decryptVault,
  encryptVault,
  importSecret,
  ownerAccountOf,
  VaultError,
  type EncryptVaultOptions,
} from '../vault/index.js';
import { type WalletRequest, type WalletResponse, type WalletStatus, walletRequestSchema } from './messages.js';

export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

// The vault is not a versioned entry (lib/background/store.ts): it carries its own format version
// inside (lib/vault/crypto.ts refuses any other with a clear error at unlock), and nothing ever
// replaces it: create and import refuse while any value is stored here, readable or not.
const VAULT_KEY = 'vault';

export function createWalletService(opts: { store: KeyValueStore; autoLockMs?: number; now?: () => number; kdf?: EncryptVaultOptions }) {
  const lock = createLockState({ autoLockMs: opts.autoLockMs ?? 15 * 60_000, now: opts.now });

  async function status(): Promise<WalletStatus> {
    const hasVault = (await opts.store.get(VAULT_KEY)) !== undefined;
    if (lock.isLocked()) return { hasVault, locked: true };
    return { hasVault, locked: false, owner: ownerAccountOf(lock.secret()).address };
  }

  async function handle(message: unknown): Promise<WalletResponse> {
    const parsed = walletRequestSchema.safeParse(message);
    if (!parsed.success)
      return { ok: false, error: `Invalid request: ${parsed.error.issues[0]?.path.join('.') || 'message'} ${parsed.error.issues[0]?.message ?? ''}`.trim() };
    const req: WalletRequest = parsed.data;
    try {
      switch (req.type) {
        case 'wallet:status':
          return { ok: true, status: await status() };
        case 'wallet:create':
        case 'wallet:import': {
          if ((await opts.store.get(VAULT_KEY)) !== undefined) return { ok: false, error: 'A wallet already exists here.', status: await status() };
          const secret = req.type === 'wallet:create' ? createMnemonicSecret() : importSecret(req.secret);
          await opts.store.set(VAULT_KEY, await encryptVault(secret, req.password, opts.kdf));
          lock.unlock(secret);
          const mnemonic = req.type === 'wallet:create' && secret.kind === 'mnemonic' ? secret.mnemonic : undefined;
          return { ok: true, status: await status(), ...(mnemonic ? { mnemonic } : {}) };
        }
        case 'wallet:unlock': {
          const vault = await opts.store.get(VAULT_KEY);
          if (vault === undefined) return { ok: false, error: 'No wallet yet: create or import one.', status: await status() };
          lock.unlock(await decryptVault(vault, req.password));
          return { ok: true, status: await status() };
        }
        case 'wallet:lock':
          lock.lock();
          return { ok: true, status: await status() };
      }
    } catch (err) {
      // Vault errors carry a safe message (no secret, no password); anything else stays generic.
      const error = err instanceof VaultError ? (err.code === 'WRONG_PASSWORD_OR_TAMPERED' ? 'Wrong password.' : err.message) : 'Something went wrong.';
      return { ok: false, error, status: await status() };
    }
  }

  return { handle, status, touch: () => lock.touch(), secret: () => lock.secret() };
}
