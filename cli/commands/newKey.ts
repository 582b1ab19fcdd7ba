// `functor-agent new-key`: a fresh session key in a 0600 file, and its address for the dapp's `to`.
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Command } from '../args.js';
import { EXIT, type Io, UsageError } from '../io.js';

export function newKey(c: Extract<Command, { command: 'new-key' }>, io: Io): number {
  if (existsSync(c.out) && !c.force) throw new UsageError(`--out ${c.out}: the file exists (pass --force to replace it)`);
  const privateKey = generatePrivateKey();
  writeFileSync(c.out, privateKey + '\n', { mode: 0o600 });
  chmodSync(c.out, 0o600); // a replaced file keeps its old mode otherwise
  io.out(`address   ${privateKeyToAccount(privateKey).address}`);
  io.out(`key file  ${c.out} (mode 0600; keep it secret: it signs for the agent)`);
  io.out("Put the address as `to` in the dapp's permission request; the dapp hands you the context.");
  return EXIT.ok;
}
