// The files an agent is handed: the permission context the dapp saved and the session key.
import { readFileSync } from 'node:fs';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { decodeContext, type FunctorPermissionContext } from '../lib/erc7715/response.js';
import { UsageError } from './io.js';

const HEX = /^0x[0-9a-fA-F]*$/;

/** The context hex out of what a dapp saved: an answer element, an array of them, or a bare hex. */
export function contextFromJson(json: unknown, index?: number): Hex {
  if (typeof json === 'string') return json as Hex;
  if (Array.isArray(json)) {
    if (json.length === 0) throw new UsageError('--context: the file holds no grant (an empty array)');
    if (index !== undefined) {
      if (index >= json.length) throw new UsageError(`--index ${index}: the file holds ${json.length} grant(s)`);
      return contextFromJson(json[index]);
    }
    const all = json.map((e) => contextFromJson(e).toLowerCase());
    if (new Set(all).size > 1) throw new UsageError(`--context: the file holds ${json.length} grants: pick one with --index`);
    return contextFromJson(json[0]);
  }
  if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    // `context` (ERC-7715), `permissionsContext` (the earlier draft, viem/experimental).
    const c = o.context ?? o.permissionsContext;
    if (typeof c === 'string') return c as Hex;
  }
  throw new UsageError('--context: no `context` field found (expected an ERC-7715 answer element, an array of them, or a 0x-hex context)');
}

export type LoadedContext = { hex: Hex; context: FunctorPermissionContext };

/** `--context`: a bare hex, or a file holding one or the dapp's JSON. */
export function loadContext(input: string, index?: number, readFile: (p: string) => string = (p) => readFileSync(p, 'utf8')): LoadedContext {
  let hex: Hex;
  const text = input.trim();
  if (HEX.test(text)) {
    hex = text as Hex;
  } else {
    let body: string;
    try {
      body = readFile(input).trim();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(`--context ${input}: ${code === 'ENOENT' ? 'no such file, and not a 0x-hex context' : (err as Error).message}`);
    }
    if (HEX.test(body)) {
      hex = body as Hex;
    } else {
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw new UsageError(`--context ${input}: neither JSON nor a 0x-hex context`);
      }
      hex = contextFromJson(json, index);
    }
  }
  try {
    return { hex, context: decodeContext(hex, 'context') };
  } catch (err) {
    throw new UsageError(`--${(err as Error).message}`);
  }
}

/** A key file: the private key as 0x-hex (what new-key writes), or JSON `{ privateKey }`. */
export function loadKey(file: string, readFile: (p: string) => string = (p) => readFileSync(p, 'utf8')) {
  let body: string;
  try {
    body = readFile(file).trim();
  } catch (err) {
    throw new UsageError(`--key ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  let key: unknown = body;
  if (body.startsWith('{')) {
    try {
      key = (JSON.parse(body) as { privateKey?: unknown }).privateKey;
    } catch {
      throw new UsageError(`--key ${file}: not JSON nor a 0x-hex private key`);
    }
  }
  if (typeof key !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(key)) throw new UsageError(`--key ${file}: not a 0x-hex private key (32 bytes)`);
  return privateKeyToAccount(key as Hex);
}
