// Creation bytecode of everything the devnet deploys, read at run time from npm packages (never
// copied into the repo) and from this project's forge build.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hex } from 'viem';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function pkgFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

function artifactBytecode(file: string): Hex {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const code: string = typeof json.bytecode === 'string' ? json.bytecode : json.bytecode.object;
  if (!code || code === '0x') throw new Error(`no bytecode in ${file}`);
  return (code.startsWith('0x') ? code : `0x${code}`) as Hex;
}

/** modulekit ships Kernel, Nexus and Safe7579 as hex constants in Solidity files. */
function modulekitConstant(file: string, name: string): Hex {
  const source = readFileSync(pkgFile('@rhinestone/modulekit', `src/deployment/precompiles/${file}`), 'utf8');
  const m = source.match(new RegExp(`bytes public constant ${name} =\\s*hex"([0-9a-fA-F]+)"`));
  if (!m) throw new Error(`${name} not found in modulekit's ${file}`);
  return `0x${m[1]}` as Hex;
}

export const bytecode = {
  entryPoint: () => artifactBytecode(pkgFile('@account-abstraction/contracts', 'artifacts/EntryPoint.json')),
  safe: (name: string) => artifactBytecode(pkgFile('@safe-global/safe-contracts', `build/artifacts/contracts/${name}.sol/${path.basename(name)}.json`)),
  safe4337: (name: string) => artifactBytecode(pkgFile('@safe-global/safe-4337', `build/artifacts/contracts/${name}.sol/${name}.json`)),
  kernel: () => modulekitConstant('KernelPrecompiles.sol', 'KERNEL_BYTECODE'),
  kernelFactory: () => modulekitConstant('KernelPrecompiles.sol', 'KERNEL_FACTORY_BYTECODE'),
  nexus: () => modulekitConstant('NexusPrecompiles.sol', 'NEXUS_BYTECODE'),
  nexusFactory: () => modulekitConstant('NexusPrecompiles.sol', 'NEXUS_ACCOUNT_FACTORY_BYTECODE'),
  nexusBootstrap: () => modulekitConstant('NexusPrecompiles.sol', 'NEXUS_BOOTSTRAP_BYTECODE'),
  safe7579: () => modulekitConstant('Safe7579Precompiles.sol', 'SAFE7579_BYTECODE'),
  safe7579Launchpad: () => modulekitConstant('Safe7579Precompiles.sol', 'SAFE7579_LAUNCHPAD_BYTECODE'),
  /** This project's contracts, from `contracts/out` (run `forge build src` first). */
  functor: (name: string) => artifactBytecode(path.join(root, 'contracts', 'out', `${name}.sol`, `${name}.json`)),
};
