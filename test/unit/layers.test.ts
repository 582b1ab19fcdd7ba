// Layers import downward only (STYLE.md, "For this project"; issue 18): lib never imports the UI,
// the extension's entrypoints, node's modules or the agent CLI (cli/, an app over lib); the
// popup's components use lib/protocol and the domain, never the background's internals or the
// vault; only the background and the wallet service touch the vault. Imports are read with a
// regex (static, dynamic, re-exports, type-only included).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  const abs = path.join(root, dir);
  return readdirSync(abs).flatMap((name) => {
    const p = path.join(abs, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : sources(path.join(dir, name));
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path.join(dir, name)] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

/** Every module specifier a file imports, as written. */
function specifiersOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** The repository paths a file imports (relative and `@/` imports; packages are left out). */
function importsOf(file: string): string[] {
  const out: string[] = [];
  for (const spec of specifiersOf(file)) {
    if (spec.startsWith('@/')) out.push(path.normalize(spec.slice(2)));
    else if (spec.startsWith('.')) out.push(path.normalize(path.join(path.dirname(file), spec)));
  }
  return out.map((p) => p.replace(/\.js$/, '').split(path.sep).join('/'));
}

const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

function violations(files: string[], forbidden: (target: string, file: string) => boolean): string[] {
  return files.flatMap((f) =>
    importsOf(f)
      .filter((t) => forbidden(t, f))
      .map((t) => `${f} -> ${t}`),
  );
}

/** The import circles among `files` (each as the path round it, first file repeated at the end). */
function circles(files: string[], imports: (file: string) => string[] = importsOf): string[][] {
  const known = new Set(files);
  const resolve = (p: string) => [`${p}.ts`, `${p}.tsx`, `${p}/index.ts`].find((f) => known.has(f));
  const edges = new Map(
    files.map((f) => [
      f,
      imports(f)
        .map(resolve)
        .filter((t): t is string => t !== undefined),
    ]),
  );
  const found: string[][] = [];
  const done = new Set<string>();
  const walk = (f: string, path: string[]) => {
    const at = path.indexOf(f);
    if (at >= 0) return void found.push([...path.slice(at), f]);
    if (done.has(f)) return;
    for (const t of edges.get(f) ?? []) walk(t, [...path, f]);
    done.add(f);
  };
  for (const f of files) walk(f, []);
  return found;
}

describe('layers', () => {
  const lib = sources('lib');
  const components = sources('components');
  const everything = [...lib, ...components, ...sources('entrypoints')];

  it('reads imports (the regex finds them)', () => {
    expect(importsOf('lib/background/index.ts')).toContain('lib/background/context');
    expect(lib.length).toBeGreaterThan(50);
    expect(components.length).toBeGreaterThan(10);
  });

  it('lib never imports components/ or entrypoints/', () => {
    expect(violations(lib, (t) => under(t, 'components') || under(t, 'entrypoints'))).toEqual([]);
  });

  it("lib never imports node's modules nor reads process; nothing in lib, components/ or entrypoints/ imports cli/", () => {
    const node = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!);
    expect(
      lib.flatMap((f) =>
        specifiersOf(f)
          .filter(node)
          .map((s) => `${f} -> ${s}`),
      ),
    ).toEqual([]);
    expect(violations(everything, (t) => under(t, 'cli'))).toEqual([]);
    expect(lib.filter((f) => /\bprocess\.(env|argv|stdin|stdout|exit)/.test(readFileSync(path.join(root, f), 'utf8')))).toEqual([]);
  });

  it('lib/audit, lib/agent and lib/erc7715 never import one another (what they share lives in lib/permissions)', () => {
    const apps = ['lib/audit', 'lib/agent', 'lib/erc7715'];
    const home = (p: string) => apps.find((d) => under(p, d));
    expect(violations(lib, (t, f) => home(f) !== undefined && home(t) !== undefined && home(t) !== home(f))).toEqual([]);
  });

  it('lib/protocol never imports the background (the background builds the views protocol defines)', () => {
    expect(violations(sources('lib/protocol'), (t) => under(t, 'lib/background') || under(t, 'lib/vault'))).toEqual([]);
  });

  it("components/ never imports the background's internals or the vault", () => {
    expect(violations(components, (t) => under(t, 'lib/background') || under(t, 'lib/vault') || under(t, 'entrypoints'))).toEqual([]);
  });

  it('only the background and the wallet service import the vault', () => {
    const allowed = (f: string) => f === 'entrypoints/background.ts' || under(f, 'lib/background') || under(f, 'lib/wallet') || under(f, 'lib/vault');
    expect(violations(everything, (t, f) => under(t, 'lib/vault') && !allowed(f))).toEqual([]);
  });

  it('lib/background has no import circle (type-only imports count: a circle is read as one)', () => {
    expect(circles(sources('lib/background')).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('finds a circle when there is one (the walk is not blind)', () => {
    // dappRpc.ts and executors.ts as they were before the split: each imported the other.
    const was: Record<string, string[]> = { 'a/dappRpc.ts': ['a/executors', 'a/context'], 'a/executors.ts': ['a/dappRpc'], 'a/context.ts': [] };
    expect(circles(Object.keys(was), (f) => was[f]!)).toEqual([['a/dappRpc.ts', 'a/executors.ts', 'a/dappRpc.ts']]);
    expect(circles(['lib/background/dappRpc.ts', 'lib/background/context.ts'])).toEqual([]);
  });
});
