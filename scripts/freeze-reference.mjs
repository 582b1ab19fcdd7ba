// `node scripts/freeze-reference.mjs`: freezes the contracts v1 reference for the differential
// test (contracts/test/differential/V1Reference.t.sol, issue 17). It builds contracts/src as it was
// at REFERENCE (the last commit before the v2 hot paths) in a detached git worktree, and writes the
// creation bytecode of FunctorDeployer and FunctorPolicyConfig to contracts/test/reference/v1.json.
// The reference is bytecode on purpose: test-only (never deployed, never shipped), frozen, and no
// second copy of the source (the source is git history at that commit). The build is reproducible
// (bytecode_hash none, no CBOR metadata), so running this again writes the same file.
// Needs git, forge (node_modules/.bin/forge) and node_modules (symlinked into the worktree so the
// foundry.toml remappings and the solc shim resolve). About 30 s.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REFERENCE = '99ce67f';
const CONTRACTS = ['FunctorDeployer', 'FunctorPolicyConfig'];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const forge = path.join(root, 'node_modules', '.bin', 'forge');
const outFile = path.join(root, 'contracts', 'test', 'reference', 'v1.json');

const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

const commit = git('rev-parse', '--verify', `${REFERENCE}^{commit}`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'functor-v1-'));
const tree = path.join(tmp, 'tree');
git('worktree', 'add', '--detach', tree, commit);
try {
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(tree, 'node_modules'), 'dir');
  const cwd = path.join(tree, 'contracts');
  const t0 = Date.now();
  execFileSync(forge, ['build', 'src'], { cwd, stdio: 'inherit' });
  console.log(`reference built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const frozen = { commit };
  for (const name of CONTRACTS) {
    const artifact = JSON.parse(fs.readFileSync(path.join(cwd, 'out', `${name}.sol`, `${name}.json`), 'utf8'));
    const code = artifact.bytecode?.object;
    // not plain hex: missing, or an unlinked library's placeholder
    if (!/^0x([0-9a-f]{2})+$/.test(code ?? '')) throw new Error(`${name}: no creation bytecode in its artifact`);
    frozen[name] = code;
    console.log(`${name}: ${(code.length - 2) / 2} bytes of creation code`);
  }
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${JSON.stringify(frozen, null, 2)}\n`);
  console.log(`wrote ${path.relative(root, outFile)} (${commit})`);
} finally {
  git('worktree', 'remove', '--force', tree);
  fs.rmSync(tmp, { recursive: true, force: true });
}
