// `functor-agent surrender`: the agent gives its key back for good. The session key signs the
// KeyStore's EIP-712 Surrender(keyId); anyone may submit it, so an agent without ETH prints the
// transaction for whoever will send it, or sends it from a funded key given in --submit-key.
import { createWalletClient, http } from 'viem';
import { signSurrender } from '../../lib/keystore/surrender.js';
import type { Command } from '../args.js';
import { loadContext, loadKey } from '../inputs.js';
import { EXIT, type Io } from '../io.js';
import { resolveNetwork } from '../network.js';

export async function surrender(c: Extract<Command, { command: 'surrender' }>, io: Io): Promise<number> {
  const { context } = loadContext(c.context, c.index);
  const signer = loadKey(c.key);
  const { pub, keyStore, net } = await resolveNetwork(c.network, context);
  const s = await signSurrender({ chainId: context.chainId, keyStore, keyId: context.keyId, signer });
  if (!c.submitKey) {
    io.out(`surrender of key ${context.keyId} signed by ${signer.address}`);
    io.out('send this transaction from any funded account to end the key on every account of the chain:');
    io.out(`to        ${s.call.to}`);
    io.out(`data      ${s.call.data}`);
    return EXIT.ok;
  }
  const wallet = createWalletClient({ chain: net.chain, transport: http(net.rpcUrl), account: loadKey(c.submitKey) });
  const hash = await wallet.sendTransaction(s.call);
  const receipt = await pub.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') {
    io.out(`refused   the surrender reverted in tx ${hash} (is the key already revoked, or ${signer.address} no longer its signer?)`);
    return EXIT.refused;
  }
  io.out(`surrendered key ${context.keyId} in tx ${hash}: it is revoked on every account of chain ${context.chainId}`);
  return EXIT.ok;
}
