// Prettier's check as a suite of `npm test`: every file it formats (.prettierrc.json, .prettierignore)
// is as `npm run format` would write it. One check: 1 passed or 1 failed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './lib/run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prettier = path.join(root, 'node_modules', '.bin', 'prettier');

export async function testFormat() {
  const { code } = await run(prettier, ['--check', '.'], { cwd: root });
  return { name: 'format', passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1 };
}
