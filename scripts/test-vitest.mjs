// Runs one vitest project (unit or integration) and returns its counts, read from vitest's JSON
// report (the human-readable output is streamed through unchanged).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, isMain } from './lib/run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function testVitest(project) {
  const dir = mkdtempSync(path.join(tmpdir(), 'functor-vitest-'));
  const report = path.join(dir, 'report.json');
  const { code } = await run(
    path.join(root, 'node_modules', '.bin', 'vitest'),
    ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { cwd: root },
  );
  let passed = 0;
  let failed = 0;
  try {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed = r.numPassedTests;
    failed = r.numFailedTests + (r.numFailedTestSuites ?? 0);
  } catch {
    failed = 1; // no report: vitest itself failed
  }
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0 && failed === 0) failed = 1;
  return { name: project, passed, failed };
}

if (isMain(import.meta.url)) {
  const project = process.argv[2];
  const r = await testVitest(project);
  console.log(`${r.passed} passed, ${r.failed} failed`);
  process.exit(r.failed === 0 ? 0 : 1);
}
