// The built extension's size (`.output/chrome-mv3`, built with `wxt build` when missing) and the
// JavaScript the popup loads: the scripts and module preloads named by popup.html.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ExtensionSize {
  dir: string;
  /** Built by the bench (true) or found already built (false). */
  built: boolean;
  files: number;
  bytes: number;
  gzipBytes: number;
  popupJs: { files: string[]; bytes: number; gzipBytes: number } | null;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const gz = (p: string) => gzipSync(readFileSync(p), { level: 9 }).length;

export function extensionSize(root: string): ExtensionSize {
  const dir = path.join(root, '.output', 'chrome-mv3');
  let built = false;
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    execFileSync(path.join(root, 'node_modules', '.bin', 'wxt'), ['build'], { cwd: root, stdio: 'pipe' });
    built = true;
  }
  const files = walk(dir);
  const size = (ps: string[]) => ps.reduce((n, p) => n + statSync(p).size, 0);
  const gzSize = (ps: string[]) => ps.reduce((n, p) => n + gz(p), 0);

  let popupJs: ExtensionSize['popupJs'] = null;
  const popupHtml = path.join(dir, 'popup.html');
  if (existsSync(popupHtml)) {
    const html = readFileSync(popupHtml, 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1]!);
    const js = [...new Set(refs)].map((r) => path.join(dir, r.replace(/^\//, ''))).filter((p) => existsSync(p));
    popupJs = { files: js.map((p) => path.relative(dir, p)), bytes: size(js), gzipBytes: gzSize(js) };
  }
  return { dir: path.relative(root, dir), built, files: files.length, bytes: size(files), gzipBytes: gzSize(files), popupJs };
}
