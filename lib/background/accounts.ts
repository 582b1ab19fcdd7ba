// The owner's smart accounts on a network: Kernel, Nexus and Safe (index 0) derived from the owner
// key, plus accounts imported by address once the chain shows the owner controls them.
import { type Address, type Chain, getAddress, type LocalAccount, parseAbi, type PublicClient, type Transport } from 'viem';
import type { SmartAccount } from 'viem/account-abstraction';
import { publicClientFor, devnetChain, type Network } from '../accounts/clients.js';
import { functorStatus } from '../accounts/functorModules.js';
import { ACCOUNT_KINDS, type AccountKind } from '../accounts/kinds.js';
import { ownerValidatorOf, toOwnerAccount } from '../accounts/toOwnerAccount.js';
import type { WalletNetwork } from '../networks/networks.js';
import type { AccountView } from '../protocol/views.js';

export const KIND_NAMES: Record<AccountKind, string> = { kernel: 'Kernel', nexus: 'Nexus', safe: 'Safe' };

export function networkClients(n: WalletNetwork): Network {
  return { chain: devnetChain(n.chainId, n.rpcUrl, { localPolling: true }), rpcUrl: n.rpcUrl, bundlerUrl: n.bundlerUrl, entryPoint: n.addresses.entryPoint };
}

export type OwnerAccount = { kind: AccountKind; address: Address; account: SmartAccount; imported?: boolean };

/** Builds (and caches per network and owner) the owner's account objects. */
export function createAccountCache() {
  const cache = new Map<string, Promise<OwnerAccount[]>>();
  return {
    async of(n: WalletNetwork, owner: LocalAccount, imported: { kind: AccountKind; address: Address }[] = []): Promise<OwnerAccount[]> {
      const key = `${n.id}:${n.rpcUrl}:${owner.address}`;
      let base = cache.get(key);
      if (!base) {
        const client = publicClientFor(networkClients(n));
        base = Promise.all(
          (n.kinds ?? ACCOUNT_KINDS).map(async (kind) => {
            const account = await toOwnerAccount({ kind, client, owner, addresses: n.addresses });
            return { kind, address: account.address, account };
          }),
        );
        cache.set(key, base);
        base.catch(() => cache.delete(key));
      }
      const derived = await base;
      const extra = await Promise.all(
        imported
          .filter((i) => !derived.some((d) => d.address === i.address))
          .map(async (i) => {
            const client = publicClientFor(networkClients(n));
            const account = await toOwnerAccount({ kind: i.kind, client, owner, addresses: n.addresses, address: i.address });
            return { kind: i.kind, address: i.address, account, imported: true };
          }),
      );
      return [...derived, ...extra];
    },
    clear: () => cache.clear(),
  };
}

const accountIdAbi = parseAbi([
  'function accountId() view returns (string)',
  'function getOwners() view returns (address[])',
  'function getActiveHook() view returns (address)',
]);
// How each kind's owner validator names an account's owner: ZeroDev's ECDSAValidator and
// Biconomy's K1Validator (Nexus 1.0) each have their own read (the devnet's stand-in answers both).
const ownerReadAbi = parseAbi([
  'function ecdsaValidatorStorage(address account) view returns (address)',
  'function smartAccountOwners(address account) view returns (address)',
]);

/**
 * Which kind an existing account is, from its ERC-7579 accountId, and whether `owner` controls it
 * (Safe: among getOwners; Kernel and Nexus: the owner of record in the network's owner validator of that kind).
 * Throws an Error with a message for the user otherwise.
 */
export async function checkImport(client: PublicClient<Transport, Chain>, n: WalletNetwork, address: Address, owner: Address): Promise<AccountKind> {
  const a = getAddress(address);
  const code = await client.getCode({ address: a });
  if (!code || code === '0x') throw new Error('No account is deployed at this address on this network');
  const id = await client.readContract({ address: a, abi: accountIdAbi, functionName: 'accountId' }).catch(() => '');
  const kind: AccountKind | undefined = /kernel/i.test(id) ? 'kernel' : /nexus/i.test(id) ? 'nexus' : /safe/i.test(id) ? 'safe' : undefined;
  if (!kind) throw new Error('Not a Kernel, Nexus or Safe7579 account (accountId() does not say)');
  const controls =
    kind === 'safe'
      ? (await client.readContract({ address: a, abi: accountIdAbi, functionName: 'getOwners' })).some((o) => getAddress(o) === owner)
      : getAddress(
          await client.readContract({
            address: ownerValidatorOf(n.addresses, kind),
            abi: ownerReadAbi,
            functionName: kind === 'kernel' ? 'ecdsaValidatorStorage' : 'smartAccountOwners',
            args: [a],
          }),
        ) === owner;
  if (!controls) throw new Error(`This wallet's owner (${owner}) does not control that ${KIND_NAMES[kind]} account`);
  return kind;
}

export async function describeAccounts(n: WalletNetwork, accounts: OwnerAccount[]): Promise<AccountView[]> {
  const client = publicClientFor(networkClients(n));
  return Promise.all(
    accounts.map(async (a) => {
      const [status, balance] = await Promise.all([functorStatus(a.kind, client, a.address, n.addresses.functor), client.getBalance({ address: a.address })]);
      let otherHook: Address | undefined;
      if (status.deployed && a.kind !== 'kernel' && !status.hook) {
        const hook = await client.readContract({ address: a.address, abi: accountIdAbi, functionName: 'getActiveHook' }).catch(() => undefined);
        if (hook && BigInt(hook) !== 0n && getAddress(hook) !== getAddress(n.addresses.functor.policyHook)) otherHook = hook;
      }
      return {
        kind: a.kind,
        name: KIND_NAMES[a.kind],
        address: a.address,
        imported: !!a.imported,
        deployed: status.deployed,
        balance: balance.toString(),
        // Each role counts only while the module is installed (one state for both: an uninstall of
        // either voids the account's policies), so `validator && hook` is "keys can act here".
        validator: status.validator && status.initialized,
        hook: status.hook && status.initialized,
        ...(otherHook && { otherHook }),
      };
    }),
  );
}
