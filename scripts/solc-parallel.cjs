// solcjs is single-threaded wasm, and forge hands the shim the whole project as one standard-JSON
// input, so a cold via-IR build used one core. This module splits that input across worker
// threads: every worker gets all the sources (each must parse and type-check the whole import
// graph anyway) but an outputSelection holding only its share of the files, so it generates code
// only for the contracts of those files (plus, internally, the contracts they deploy with `new`,
// which are embedded in the creator's bytecode). The outputs are then merged into the one a single
// compile would give: code generation is deterministic and source ids come from the full, identical
// source list in every worker, so the bytecode does not change.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');

/** solc's import callback, for sources forge did not inline: cwd, then the base/include paths. */
function makeFindImports(roots) {
  return (p) => {
    const candidates = path.isAbsolute(p) ? [p] : roots.map((r) => path.join(r, p));
    for (const c of candidates) {
      if (fs.existsSync(c)) return { contents: fs.readFileSync(c, 'utf8') };
    }
    return { error: `File not found: ${p}` };
  };
}

function compileHere(input, roots) {
  return require('solc').compile(input, { import: makeFindImports(roots) });
}

/** Worker count: FUNCTOR_SOLC_JOBS, else one per core, at most 4 (each holds a whole solc in memory). */
function jobCount() {
  const env = Number(process.env.FUNCTOR_SOLC_JOBS);
  if (Number.isInteger(env) && env > 0) return env;
  return Math.min(os.availableParallelism(), 4);
}

/**
 * The per-worker inputs, or null to compile in one go. Only forge's shape is split: every file
 * listed by name in outputSelection. A "*" file key would also select files solc loads through the
 * import callback, which no partition could name, so such inputs stay whole.
 */
function split(input, jobs) {
  const selection = input.settings?.outputSelection;
  if (!input.sources || !selection || '*' in selection) return null;
  const files = Object.keys(selection).filter((f) => f in input.sources);
  if (jobs < 2 || files.length < 3) return null;
  // Estimated cost of a file: what its worker must generate that no other worker does. A contract
  // some source creates with `new` (the src contracts, test helpers) costs nothing here, as it is
  // compiled inside its creators in every worker anyway. The others (the test contracts) cost their
  // file's length plus a fixed share per contract for assembling the sub-objects they embed: one
  // such contract took about as long as 20 kB of test source on top of that (measured with
  // solcjs 0.8.30 on contracts/test). Interfaces, libraries and abstract contracts count nothing.
  const created = new Set();
  for (const s of Object.values(input.sources)) for (const m of (s.content ?? '').matchAll(/\bnew\s+([\w$]+)\s*[({]/g)) created.add(m[1]);
  const costs = new Map(
    files.map((f) => {
      const text = input.sources[f].content ?? '';
      const roots = [...text.matchAll(/^\s*contract\s+([\w$]+)/gm)].filter((m) => !created.has(m[1])).length;
      return [f, roots ? text.length + 20000 * roots : 0];
    }),
  );
  // One file with code of its own (a single test, a warm rebuild): nothing to share out.
  if ([...costs.values()].filter((c) => c > 0).length < 2) return null;
  // Longest-processing-time first: each file, the dearest first, to the least loaded worker.
  const parts = Array.from({ length: Math.min(jobs, files.length) }, () => ({ files: [], cost: 0 }));
  for (const f of [...files].sort((a, b) => costs.get(b) - costs.get(a))) {
    const part = parts.reduce((min, p) => (p.cost < min.cost ? p : min));
    part.files.push(f);
    part.cost += costs.get(f);
  }
  return parts.map((p) => ({
    files: p.files,
    input: JSON.stringify({
      ...input,
      settings: { ...input.settings, outputSelection: Object.fromEntries(p.files.map((f) => [f, selection[f]])) },
    }),
  }));
}

/**
 * One output from the workers' outputs. contracts[file] comes from the worker that owned the file.
 * Diagnostics from parsing and analysis come from every worker, those from code generation only
 * from the owner: keep each message as many times as the worker that has it most often has it,
 * in first-seen order.
 */
function merge(parts, outputs) {
  const merged = { ...outputs[0], sources: {}, contracts: {}, errors: [] };
  const kept = new Map();
  outputs.forEach((out, i) => {
    for (const [file, s] of Object.entries(out.sources ?? {})) merged.sources[file] = { ...merged.sources[file], ...s };
    for (const file of parts[i].files) if (out.contracts?.[file]) merged.contracts[file] = out.contracts[file];
    const seen = new Map();
    for (const e of out.errors ?? []) {
      const key = e.formattedMessage ?? e.message;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      if (n > (kept.get(key) ?? 0)) {
        kept.set(key, n);
        merged.errors.push(e);
      }
    }
  });
  // solc leaves out what it has nothing for (no contracts after a parse error, no errors at all).
  for (const key of ['sources', 'contracts', 'errors']) if (!outputs.some((o) => key in o)) delete merged[key];
  return merged;
}

/** Compiles a standard-JSON input string like solc does, on several threads when it pays. */
async function compile(inputJson, roots) {
  let parts = null;
  try {
    parts = split(JSON.parse(inputJson), jobCount());
  } catch {
    // Not JSON: solc itself reports that in its own format.
  }
  if (!parts) return compileHere(inputJson, roots);
  const outputs = await Promise.all(
    parts.map(
      (p) =>
        new Promise((resolve, reject) => {
          const w = new Worker(__filename, { workerData: { input: p.input, roots } });
          w.once('message', (out) => resolve(JSON.parse(out)));
          w.once('error', reject);
          w.once('exit', (code) => reject(new Error(`solc worker exited with code ${code}`)));
        }),
    ),
  );
  return JSON.stringify(merge(parts, outputs));
}

if (!isMainThread) parentPort.postMessage(compileHere(workerData.input, workerData.roots));

module.exports = { compile };
