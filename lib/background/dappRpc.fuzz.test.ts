// Provider fuzzing at the background's boundary (issue 7): thousands of random and malformed page
// requests straight into `handleDapp` (what the content relay forwards, plus the origin the worker
// adds). Each must get a well-formed EIP-1193 answer ({ code: integer, message: string } or a
// result), never a throw, never a change to what is stored (but the approvals that valid approval
// requests open), and the per-site approval cap must hold under a flood.
// Seeded: FUZZ_SEED=<n> replays a run; FUZZ_RUNS=<n> changes its size.
import { mulberry32 } from '../testing/mulberry32.js';
import { getAddress, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { encodeContext } from '../erc7715/response.js';
import { RELAY_TARGET_BACKGROUND, rpcResponseSchema, type RpcResponse } from '../provider/messages.js';
import { MAX_OPEN_PER_ORIGIN } from './approvals.js';
import { fakeDevnetJson, testBackground, tick } from './testing.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x7e57);
const RUNS = Number(process.env.FUZZ_RUNS ?? 5_000);

const DAPP = 'http://dapp.test';
const ACCOUNT = getAddress('0x9f8e7d6c5b4a39281706f5e4d3c2b1a098765432');
const SESSION = getAddress('0x5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7');
const CONTEXT = encodeContext({
  chainId: 31337,
  account: ACCOUNT,
  keyId: 7n,
  validator: fakeDevnetJson.functor.validator as `0x${string}`,
  hook: fakeDevnetJson.functor.policyHook as `0x${string}`,
  kind: 'kernel',
});
const NOW = Math.floor(Date.now() / 1000);

/** mulberry32: small, seeded, good enough to pick cases. */
function rng(seed: number) {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

// Built once and shared by reference: 1 MB strings and 10,000 levels of nesting.
const HUGE = 'A'.repeat(1 << 20);
const HUGE_HEX = `0x${'ab'.repeat(1 << 19)}`;
const deep = (levels: number, wrap: (inner: unknown) => unknown) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < levels; i++) v = wrap(v);
  return v;
};
const DEEP_ARRAY = deep(10_000, (v) => [v]);
const DEEP_OBJECT = deep(10_000, (v) => ({ chainId: v, to: v === 'bottom' ? 'x' : undefined }));
const DEEP_PROTO = deep(10_000, (v) => Object.defineProperty({}, '__proto__', { value: v, enumerable: true }));

const KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'chainId',
  'to',
  'from',
  'calls',
  'permission',
  'data',
  'type',
  'rules',
  'value',
  'permissionContext',
  'id',
  'method',
  'params',
  'origin',
  'target',
  'retry',
  '',
];
const METHODS = [
  'eth_chainId',
  'net_version',
  'eth_accounts',
  'eth_requestAccounts',
  'wallet_switchEthereumChain',
  'wallet_getCapabilities',
  'wallet_sendCalls',
  'wallet_getCallsStatus',
  'wallet_getSupportedExecutionPermissions',
  'wallet_requestExecutionPermissions',
  'wallet_getGrantedExecutionPermissions',
  'wallet_revokeExecutionPermission',
] as const;
const HOSTILE_METHODS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'eth_sign',
  'personal_sign',
  'eth_sendTransaction',
  'eth_signTypedData_v4',
  'wallet_grantPermissions',
  'wallet_addEthereumChain',
  'ui:overview',
  'wallet:unlock',
  'approval:decide',
  'ETH_CHAINID',
  ' eth_chainId',
  'eth_chainId\u0000',
];
const ORIGINS = [
  DAPP,
  'http://evil.test',
  'https://a.example',
  'http://127.0.0.1:5173',
  'chrome-extension://abcdefghijklmnop',
  '',
  'null',
  'not a url',
  'http://dapp.test/path',
  'javascript:alert(1)',
  'file://',
  'data:text/html,x',
  `http://${'a'.repeat(3000)}.test`,
  HUGE,
];

/** A valid request per method, to mutate: random garbage rarely gets past the first check. */
const templates: Record<string, () => unknown> = {
  eth_requestAccounts: () => [],
  wallet_switchEthereumChain: () => [{ chainId: '0x7a69' }],
  wallet_getCapabilities: () => [ACCOUNT, ['0x7a69']],
  wallet_sendCalls: () => [{ version: '2.0.0', chainId: '0x7a69', from: ACCOUNT, calls: [{ to: SESSION, value: '0x1', data: '0x' }] }],
  wallet_getCallsStatus: () => [`0x${'ab'.repeat(32)}`],
  wallet_requestExecutionPermissions: () => [
    {
      chainId: toHex(31337),
      to: SESSION,
      permission: {
        type: 'erc20-token-periodic',
        isAdjustmentAllowed: true,
        data: { tokenAddress: fakeDevnetJson.tokens.usdc, periodAmount: '0x5f5e100', periodDuration: 86400 },
      },
      rules: [{ type: 'expiry', data: { timestamp: NOW + 7 * 86400 } }],
    },
  ],
  wallet_revokeExecutionPermission: () => ({ permissionContext: CONTEXT }),
  wallet_getGrantedExecutionPermissions: () => [],
};

function randomString(r: Rng): string {
  switch (r.int(12)) {
    case 0:
      return '';
    case 1:
      return r.pick(KEYS);
    case 2:
      return `0x${Array.from({ length: r.int(80) }, () => r.pick([...'0123456789abcdefABCDEFxg'])).join('')}`;
    case 3:
      return String.fromCharCode(...Array.from({ length: r.int(40) }, () => r.int(0x10000))); // lone surrogates and all
    case 4:
      return r.chance(0.05) ? HUGE : 'x'.repeat(r.int(5000));
    case 5:
      return r.chance(0.05) ? HUGE_HEX : ACCOUNT.toLowerCase();
    case 6:
      return ACCOUNT;
    case 7:
      return '0x7a69';
    case 8:
      return CONTEXT;
    case 9:
      return r.pick(METHODS);
    case 10:
      return '<script>alert(1)</script>';
    default:
      return Math.random().toString(36).slice(2);
  }
}

function randomValue(r: Rng, depth = 0): unknown {
  const k = r.int(depth > 3 ? 3 : 8);
  switch (k) {
    case 0:
      return r.pick([null, undefined, true, false, 0, -0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53 + 2, Number.MAX_VALUE, 31337]);
    case 1:
      return randomString(r);
    case 2:
      return r.int(1 << 30) * (r.chance(0.5) ? 1 : -1);
    case 3:
      return Array.from({ length: r.int(5) }, () => randomValue(r, depth + 1));
    case 4: {
      // Own `__proto__`/`constructor` keys, as JSON.parse (and structured clone) make them.
      const o: Record<string, unknown> = {};
      for (let i = r.int(5); i > 0; i--)
        Object.defineProperty(o, r.chance(0.8) ? r.pick(KEYS) : randomString(r).slice(0, 100), {
          value: randomValue(r, depth + 1),
          enumerable: true,
          configurable: true,
          writable: true,
        });
      return o;
    }
    case 5:
      return r.pick([DEEP_ARRAY, DEEP_OBJECT, DEEP_PROTO]);
    case 6:
      return JSON.parse('{"__proto__": {"isAdmin": true, "origin": "http://dapp.test"}, "constructor": {"prototype": {"polluted": 1}}}');
    default:
      return Array.from({ length: r.int(3) + 1 }, () => randomValue(r, depth + 1));
  }
}

/** Replaces one random node of `v` (a fresh copy) with a random value. */
function mutate(r: Rng, v: unknown): unknown {
  if (r.chance(0.15) || v === null || typeof v !== 'object') return randomValue(r);
  const copy: Record<string, unknown> = Array.isArray(v) ? ([...v] as unknown as Record<string, unknown>) : { ...(v as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (!keys.length || r.chance(0.1)) {
    Object.defineProperty(copy, r.pick(KEYS), { value: randomValue(r), enumerable: true, configurable: true, writable: true });
    return copy;
  }
  const key = r.pick(keys);
  // Arrays stay dense: a hole cannot cross the relay (chrome.runtime messages are JSON, a hole arrives as null).
  if (r.chance(0.1)) Array.isArray(copy) ? (copy as unknown as unknown[]).splice(Number(key), 1) : delete copy[key];
  else copy[key] = mutate(r, copy[key]);
  return copy;
}

function randomMessage(r: Rng, n: number): unknown {
  if (r.chance(0.08)) return randomValue(r); // not even an envelope
  const method = r.chance(0.7) ? r.pick(METHODS) : r.chance(0.6) ? r.pick(HOSTILE_METHODS) : randomValue(r);
  const template = typeof method === 'string' && Object.hasOwn(templates, method) ? templates[method] : undefined;
  const params = template && r.chance(0.75) ? (r.chance(0.2) ? template() : mutate(r, template())) : randomValue(r);
  const msg: Record<string, unknown> = {
    target: r.chance(0.95) ? RELAY_TARGET_BACKGROUND : randomValue(r),
    id: r.chance(0.95) ? `f${n}` : randomValue(r),
    method,
    params,
    origin: r.chance(0.85) ? r.pick(ORIGINS) : r.chance(0.5) ? `https://${Math.random().toString(36).slice(2)}.test` : randomValue(r),
  };
  if (r.chance(0.1)) msg.retry = r.chance(0.5) ? true : randomValue(r);
  if (r.chance(0.05)) Object.defineProperty(msg, '__proto__', { value: { origin: 'chrome-extension://x', isUi: true }, enumerable: true });
  if (r.chance(0.05)) msg[randomString(r).slice(0, 50)] = randomValue(r);
  return msg;
}

/** A well-formed EIP-1193 answer: { result } (JSON-safe) or { error: { code: integer, message: string } }, short. */
function wellFormed(res: unknown): string | undefined {
  if (!rpcResponseSchema.safeParse(res).success) return 'not { result } or { error: { code: int, message } }';
  try {
    JSON.stringify(res);
  } catch {
    return 'not JSON-safe (cannot cross the relay)';
  }
  const r = res as RpcResponse;
  if ('error' in r && r.error.message.length > 10_000) return `error message of ${r.error.message.length} chars (echoes the input)`;
  if ('error' in r && !Number.isSafeInteger(r.error.code)) return 'error code not an integer';
  return undefined;
}

// The approvals (and their version key) change with each request a window opens for; nothing else may.
const snapshot = (data: Map<string, unknown>) =>
  new Map([...data].filter(([k]) => k !== 'approvals' && k !== 'approvals$').map(([k, v]) => [k, JSON.stringify(v)]));

describe('provider fuzzing: random and malformed page requests', () => {
  it(`${RUNS} random requests: each answered well-formed, none throws, nothing stored changes, the approval cap holds`, async () => {
    const r = rng(SEED);
    const { bg, store, opened, request } = testBackground();
    // A connected site with a grant, so fuzzed requests reach past the connection checks.
    await store.set('connections', { [DAPP]: { accounts: [ACCOUNT], connectedAt: 1 } });
    await store.set('grants', [
      {
        origin: DAPP,
        networkId: 'devnet',
        chainId: 31337,
        keyId: '7',
        type: 'erc20-token-periodic',
        signer: SESSION,
        controller: ACCOUNT,
        accounts: [{ kind: 'kernel', address: ACCOUNT }],
        responses: [{ context: CONTEXT, chainId: '0x7a69' }],
        contexts: [CONTEXT],
        createdAt: 1,
      },
    ]);
    // Warm up what a valid request legitimately writes once (the devnet's network, the active network).
    await request(DAPP, 'eth_chainId');
    await request(DAPP, 'wallet_switchEthereumChain', [{ chainId: '0x7a69' }]);
    const before = snapshot(store.data);

    const figures = { tried: 0, answered: 0, wellFormed: 0, results: 0, crashes: 0, pendingOnApproval: 0, codes: {} as Record<string, number> };
    const problems: string[] = [];
    const pending: Promise<RpcResponse>[] = [];
    const internal: string[] = [];
    const internalRaw: string[] = [];
    const BATCH = 100;
    const started = performance.now();
    for (let b = 0; b < RUNS; b += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, RUNS - b) }, (_, i) => {
        // Half go as the relay delivers them (chrome.runtime messages are JSON: no undefined, no
        // holes, no extra array properties), half as raw objects, which no page can send but the
        // background must survive anyway.
        const raw = randomMessage(r, b + i);
        const viaRelay = r.chance(0.5);
        let msg = raw;
        if (viaRelay) {
          try {
            msg = JSON.parse(JSON.stringify(raw) ?? 'null');
          } catch {
            msg = raw;
          }
        }
        figures.tried++;
        let p: Promise<RpcResponse>;
        try {
          p = bg.handleDapp(msg);
        } catch (e) {
          figures.crashes++;
          problems.push(`threw synchronously: ${String(e).slice(0, 200)}`);
          return undefined;
        }
        const state = { settled: false, p };
        p.then(
          (res) => {
            state.settled = true;
            figures.answered++;
            const bad = wellFormed(res);
            if (bad) problems.push(`${bad}: ${JSON.stringify(res).slice(0, 300)}`);
            else {
              figures.wellFormed++;
              if ('result' in res) figures.results++;
              else {
                figures.codes[res.error.code] = (figures.codes[res.error.code] ?? 0) + 1;
                if (res.error.code === -32603)
                  (viaRelay ? internal : internalRaw).push(
                    JSON.stringify(msg, (_, v) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 40)}…(${v.length})` : v)).slice(0, 600),
                  );
              }
            }
          },
          (e) => {
            state.settled = true;
            figures.crashes++;
            problems.push(`rejected: ${String(e).slice(0, 200)}`);
          },
        );
        return state;
      });
      await tick();
      await tick();
      // What is still unanswered waits for the user in an approval window.
      for (const s of batch) if (s && !s.settled) pending.push(s.p);
    }
    figures.pendingOnApproval = pending.length;

    // Nothing stored changed, but the approvals valid requests opened: each open, capped per site.
    expect(snapshot(store.data)).toEqual(before);
    const approvals = Object.values((store.data.get('approvals') ?? {}) as Record<string, { origin: string; state: string; kind: string }>);
    expect(approvals.length).toBe(opened.length);
    expect(approvals.length).toBe(pending.length);
    const perOrigin = new Map<string, number>();
    for (const a of approvals) {
      expect(a.state).toBe('open');
      perOrigin.set(a.origin, (perOrigin.get(a.origin) ?? 0) + 1);
    }
    for (const [origin, n] of perOrigin) expect(n, origin).toBeLessThanOrEqual(MAX_OPEN_PER_ORIGIN);

    // The user rejects them all: every waiting request is answered 4001.
    for (const id of opened) await bg.reject(id);
    const late = await Promise.all(pending);
    for (const res of late) expect(res).toEqual({ error: { code: 4001, message: 'User rejected the request' } });

    const ms = performance.now() - started;
    console.log(
      `dapp RPC fuzz (seed ${SEED}): ${figures.tried} requests tried, ${figures.wellFormed} answered well-formed ` +
        `(${figures.results} results, ${figures.tried - figures.results} errors, of which ${figures.pendingOnApproval} waited on an approval window then got 4001), ` +
        `${figures.crashes} crashes, ${problems.length} malformed; ${approvals.length} windows opened over ${perOrigin.size} sites (max ${Math.max(0, ...perOrigin.values())} per site); ` +
        `error codes ${JSON.stringify(figures.codes)} (-32603 only on raw objects a page cannot send: ${internalRaw.length}); ${(ms / 1000).toFixed(1)} s`,
    );
    expect(problems.slice(0, 5)).toEqual([]);
    expect(figures.crashes).toBe(0);
    expect(figures.answered).toBe(figures.tried);
    // Malformed input is the page's fault: never an internal error for what a page can send.
    expect(internal.slice(0, 3)).toEqual([]);
    expect(internalRaw.length).toBeLessThan(RUNS / 100);
  }, 120_000);

  it('a flood of 1,000 approval requests from one site opens at most 3 windows; the rest get -32002; other sites are not blocked', async () => {
    const { bg, opened, request } = testBackground();
    const flood = Array.from({ length: 1_000 }, (_, i) =>
      i % 2 ? request(DAPP, 'eth_requestAccounts') : request(DAPP, 'wallet_requestExecutionPermissions', templates.wallet_requestExecutionPermissions!()),
    );
    await tick();
    await tick();
    expect(opened).toHaveLength(MAX_OPEN_PER_ORIGIN);
    const settled = await Promise.all(flood.map((p) => Promise.race([p, new Promise((res) => setTimeout(() => res('waiting'), 50))])));
    const waiting = settled.filter((s) => s === 'waiting').length;
    const refused = settled.filter((s) => (s as RpcResponse | string) !== 'waiting' && (s as { error?: { code: number } }).error?.code === -32002).length;
    console.log(`approval flood: 1000 requests from one site, ${opened.length} windows opened, ${waiting} waiting on them, ${refused} refused with -32002`);
    expect(waiting).toBe(MAX_OPEN_PER_ORIGIN);
    expect(refused).toBe(1_000 - MAX_OPEN_PER_ORIGIN);
    // Another site still gets its window; the first gets a new one once one is answered.
    void request('http://other.test', 'eth_requestAccounts');
    await tick();
    expect(opened).toHaveLength(MAX_OPEN_PER_ORIGIN + 1);
    await bg.reject(opened[0]!);
    void request(DAPP, 'eth_requestAccounts');
    await tick();
    expect(opened).toHaveLength(MAX_OPEN_PER_ORIGIN + 2);
  });
});
