// The TypeScript check as a suite of `npm test`: the repo (lib, devnet, components, e2e, bench,
// demo, tests) and the extension's entrypoints against WXT's types. One check each.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './lib/run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = path.join(root, 'node_modules', '.bin', 'tsc');

export async function testTypecheck() {
  let passed = 0;
  let failed = 0;
  for (const project of ['tsconfig.json', 'tsconfig.extension.json']) {
    const { code } = await run(tsc, ['-p', project, '--noEmit'], { cwd: root });
    if (code === 0) passed++;
    else failed++;
  }
  return { name: 'typecheck', passed, failed };
}
