// Runs a command with its output streamed through, and keeps the output for parsing.
import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn } from 'node:child_process';

const label = new AsyncLocalStorage();

/**
 * Runs `fn` with every line that run() streams (inside it) prefixed by `[name] `: `npm test` runs
 * suites side by side, and their outputs would otherwise interleave unlabelled.
 */
export function labelled(name, fn) {
  return label.run(name, fn);
}

/** A writer that prefixes each whole line with `[name] ` (a partial line waits for its end). */
function prefixer(name, stream) {
  let pending = '';
  return {
    write(text) {
      const lines = (pending + text).split('\n');
      pending = lines.pop();
      for (const line of lines) stream.write(`[${name}] ${line}\n`);
    },
    end() {
      if (pending) stream.write(`[${name}] ${pending}\n`);
      pending = '';
    },
  };
}

export function run(cmd, args, { cwd, env } = {}) {
  const name = label.getStore();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out_ = name ? prefixer(name, process.stdout) : process.stdout;
    const err_ = name ? prefixer(name, process.stderr) : process.stderr;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    let out = '';
    const keep = (chunk, stream) => {
      const text = String(chunk);
      out += text;
      stream.write(text);
    };
    child.stdout.on('data', (c) => keep(c, out_));
    child.stderr.on('data', (c) => keep(c, err_));
    child.on('close', (code) => {
      if (name) {
        out_.end();
        err_.end();
      }
      resolve({ code: code ?? 1, out });
    });
    child.on('error', (err) => resolve({ code: 1, out: String(err) }));
  });
}

/** True when this module is the script node was started with. */
export function isMain(importMetaUrl) {
  return process.argv[1] && new URL(importMetaUrl).pathname === process.argv[1];
}
