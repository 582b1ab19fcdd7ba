#!/usr/bin/env node
// forge cannot download a native solc here; this shim makes the npm `solc` (solcjs, wasm) look
// like the native CLI for the two ways forge calls it: `--version` and `--standard-json`.
// The compile itself runs in solc-parallel.cjs, split over the cores (FUNCTOR_SOLC_JOBS=1: one).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
if (args.includes('--version')) {
  const v = require('solc').version().replace('.Emscripten.clang', '.Linux.g++');
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${v}\n`);
  process.exit(0);
}

const roots = [process.cwd()];
for (let i = 0; i < args.length; i++) {
  if (['--base-path', '--include-path', '--allow-paths'].includes(args[i]) && args[i + 1]) {
    for (const p of args[i + 1].split(',')) roots.push(path.resolve(p));
  }
}

require('./solc-parallel.cjs')
  .compile(fs.readFileSync(0, 'utf8'), roots)
  .then((out) => process.stdout.write(out))
  .catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  });
