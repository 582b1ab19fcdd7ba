// The bench's extension timings alone (bench/timing.ts, the code `npm run bench` runs), without the
// gas rounds: `npx tsx bench/window.ts [extension root]`. It starts this tree's devnet, builds the
// extension found at the root given (default: this tree; another checkout, e.g. a `git worktree`
// of an older commit, to compare), and prints each run and the medians. BENCH_EXTENSION_RUNS
// (default 5) sets the number of measured runs. Writes no results file.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevnet } from '../devnet/devnet.js';
import { measureExtension } from './timing.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? path.resolve(here, '..'));
const runs = Number(process.env.BENCH_EXTENSION_RUNS ?? 5);
if (!Number.isInteger(runs) || runs < 1) throw new Error('BENCH_EXTENSION_RUNS must be a positive integer');

const t0 = Date.now();
const log = (s: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${s}`);
const file = path.join(here, '..', '.devnet', 'bench-window.json');
log('starting a devnet of its own');
const devnet = await startDevnet({ file, configPort: 0, stepsTracing: true }); // as the bench's
try {
  log(`the extension at ${root}: ${runs} permission requests, request → window → Approve → landed`);
  const t = await measureExtension(root, devnet, runs, log);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`request→window ${median(t.requestToApprovalWindowMs)} ms (samples ${t.requestToApprovalWindowMs.join(', ')})`);
  console.log(`approve→landed ${median(t.approveToGrantLandedMs)} ms (samples ${t.approveToGrantLandedMs.join(', ')})`);
} finally {
  await devnet.stop();
  rmSync(file, { force: true });
}
process.exit(0);
