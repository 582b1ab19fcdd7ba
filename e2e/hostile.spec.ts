// Hostile pages against the real extension in Chromium (issue 7): a page fuzzing
// `window.ethereum.request` with random and malformed requests, a flood of connection requests,
// two sites on different origins (no site sees, uses or revokes another's connection or grant),
// and a scan of extension storage and of every message a page received for the owner's secret.
import { createServer, type Server } from 'node:http';
import { createPublicClient, http, parseUnits, toHex } from 'viem';
import { english, generateMnemonic, generatePrivateKey, mnemonicToAccount, privateKeyToAccount } from 'viem/accounts';
import { answer, devnet, importOwner, request, requestWithApproval } from './dapp';
import { expect, test } from './fixtures';

/** A second site: same page, another origin (localhost vs the fixture's 127.0.0.1, own port). */
async function otherSite() {
  const server: Server = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>other</title><h1>other</h1>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return { url: `http://localhost:${port}/`, close: () => server.close() };
}

test('1,000+ random and malformed requests from a page: each rejects with a numeric code, the worker stays up, at most 3 windows', async ({
  context,
  extensionId,
  pageUrl,
}) => {
  test.setTimeout(120_000);
  void extensionId;
  let windows = 0;
  context.on('page', (p) => p.url().includes('/approval.html') && windows++);
  const page = await context.newPage();
  await page.goto(pageUrl);
  const figures = await page.evaluate(async () => {
    let seed = 0x7e57;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const huge = 'A'.repeat(1 << 20);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const protoKeys = JSON.parse('{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"polluted": 1}}}');
    const methods = [
      'eth_chainId',
      'eth_accounts',
      'wallet_switchEthereumChain',
      'wallet_getCapabilities',
      'wallet_sendCalls',
      'wallet_getCallsStatus',
      'wallet_requestExecutionPermissions',
      'wallet_getGrantedExecutionPermissions',
      'wallet_revokeExecutionPermission',
      'wallet_getSupportedExecutionPermissions',
      '__proto__',
      'constructor',
      'toString',
      'eth_sign',
      'personal_sign',
      'eth_sendTransaction',
      'ui:overview',
      'wallet:unlock',
      'approval:decide',
      '',
      'x'.repeat(5000),
    ];
    const values = (): unknown =>
      pick<() => unknown>([
        () => undefined,
        () => null,
        () => 42,
        () => -1.5,
        () => NaN,
        () => true,
        () => 'x',
        () => '0x7a69',
        () => `0x${'ab'.repeat(40)}`,
        () => [],
        () => [{}],
        () => [{ chainId: '0x7a69' }],
        () => [{ chainId: 31337 }],
        () => protoKeys,
        () => [protoKeys],
        () => ({ permissionContext: protoKeys }),
        () => [{ chainId: '0x7a69', calls: [{ to: '0x12' }] }],
        () => [{ chainId: '0x7a69', to: 'bob', permission: { type: 'erc20-token-periodic', data: {} } }],
        () => (rnd() < 0.03 ? huge : 'y'.repeat(Math.floor(rnd() * 3000))),
        () => (rnd() < 0.01 ? deep : [[[['deepish']]]]),
        () => [values(), values()],
      ])();
    const w = window as unknown as { ethereum: { request: (a: unknown) => Promise<unknown> } };
    const out = { tried: 0, rejectedNumeric: 0, resolved: 0, bad: [] as string[], timedOut: 0, codes: {} as Record<string, number> };
    const one = async () => {
      out.tried++;
      // Not even `{ method }` sometimes: the provider must refuse that too.
      const args = rnd() < 0.05 ? pick<unknown>([null, 42, 'eth_chainId', { method: 7 }, { params: [] }]) : { method: pick(methods), params: values() };
      const p = w.ethereum.request(args as never).then(
        () => void out.resolved++,
        (e: { code?: unknown; message?: unknown }) => {
          if (Number.isInteger(e?.code) && typeof e?.message === 'string') {
            out.rejectedNumeric++;
            out.codes[String(e.code)] = (out.codes[String(e.code)] ?? 0) + 1;
          } else out.bad.push(String(e).slice(0, 200));
        },
      );
      await Promise.race([p, new Promise((r) => setTimeout(() => r((out.timedOut++, undefined)), 10_000))]);
    };
    for (let b = 0; b < 1_200; b += 50) await Promise.all(Array.from({ length: 50 }, one));
    return out;
  });
  const alive = await request(page, 'eth_chainId');
  console.log(
    `page fuzz through window.ethereum.request: ${figures.tried} requests tried, ${figures.rejectedNumeric} rejected with a well-formed error ` +
      `(numeric code and message), ${figures.resolved} resolved, ${figures.bad.length} malformed rejections, ${figures.timedOut} unanswered after 10 s, ` +
      `worker up after: ${context.serviceWorkers().length > 0 && 'result' in alive}; approval windows: ${windows}; codes ${JSON.stringify(figures.codes)}`,
  );
  expect(figures.bad).toEqual([]);
  expect(figures.timedOut).toBe(0);
  expect(figures.rejectedNumeric + figures.resolved).toBe(figures.tried);
  expect(figures.tried).toBeGreaterThanOrEqual(1_000);
  expect(alive).toEqual({ result: '0x7a69' });
  expect(context.serviceWorkers().length).toBeGreaterThan(0);
  expect(windows).toBeLessThanOrEqual(3);
});

test('a flood of eth_requestAccounts opens at most 3 approval windows; the rest get -32002', async ({ context, extensionId, pageUrl }) => {
  void extensionId;
  let windows = 0;
  context.on('page', (p) => p.url().includes('/approval.html') && windows++);
  const page = await context.newPage();
  await page.goto(pageUrl);
  const codes = await page.evaluate(async () => {
    const w = window as unknown as { ethereum: { request: (a: unknown) => Promise<unknown> } };
    const all = Array.from({ length: 200 }, () =>
      Promise.race([
        w.ethereum.request({ method: 'eth_requestAccounts' }).then(
          () => 'ok',
          (e: { code: number }) => e.code,
        ),
        new Promise((r) => setTimeout(() => r('waiting'), 5_000)),
      ]),
    );
    return Promise.all(all);
  });
  await expect.poll(() => windows).toBeGreaterThan(0);
  await page.waitForTimeout(500);
  const waiting = codes.filter((c) => c === 'waiting').length;
  const refused = codes.filter((c) => c === -32002).length;
  console.log(
    `approval flood through the page: 200 eth_requestAccounts, ${windows} windows opened, ${waiting} waiting on them, ${refused} refused with -32002`,
  );
  expect(windows).toBeLessThanOrEqual(3);
  expect(waiting).toBe(3);
  expect(refused).toBe(197);
  expect(context.serviceWorkers().length).toBeGreaterThan(0);
});

test("two sites: the other origin sees no accounts and cannot list or revoke the first one's grant; the secret never reaches storage or a page", async ({
  context,
  extensionId,
  pageUrl,
}) => {
  test.setTimeout(150_000);
  const c = devnet();
  const mnemonic = generateMnemonic(english);
  const hd = mnemonicToAccount(mnemonic);
  const privateKey = toHex(hd.getHdKey().privateKey!);
  // Every message each page receives (window 'message' events: the relay's answers and events).
  await context.addInitScript(() => {
    const w = window as unknown as { __seen: string[] };
    w.__seen = [];
    window.addEventListener('message', (e) => {
      try {
        w.__seen.push(JSON.stringify(e.data));
      } catch {
        w.__seen.push(String(e.data));
      }
    });
  });
  const popup = await importOwner(context, extensionId, mnemonic);
  await expect(popup.getByTestId('owner')).toHaveText(hd.address);

  // Site A connects and is granted a permission.
  const a = await context.newPage();
  await a.goto(pageUrl);
  const connect = await requestWithApproval(context, a, 'connect', 'eth_requestAccounts');
  await connect.getByRole('button', { name: 'Approve' }).click();
  const [account] = ((await answer(a, 'connect')) as { result: `0x${string}`[] }).result;
  const pub = createPublicClient({ transport: http(c.rpcUrl) });
  await pub.request({ method: 'anvil_setBalance' as never, params: [account, toHex(10n ** 18n)] as never });
  const agent = privateKeyToAccount(generatePrivateKey());
  const now = Number((await pub.getBlock()).timestamp);
  const grantWindow = await requestWithApproval(context, a, 'grant', 'wallet_requestExecutionPermissions', [
    {
      chainId: toHex(31337),
      to: agent.address,
      permission: {
        type: 'erc20-token-periodic',
        isAdjustmentAllowed: false,
        data: { tokenAddress: c.tokens.usdc, periodAmount: toHex(parseUnits('5', 6)), periodDuration: 86_400 },
      },
      rules: [{ type: 'expiry', data: { timestamp: now + 86_400 } }],
    },
  ]);
  await grantWindow.getByRole('button', { name: 'Approve' }).click();
  const granted = await answer(a, 'grant');
  expect(granted, JSON.stringify(granted)).toHaveProperty('result');
  const context0 = (granted as { result: { context: string }[] }).result[0]!.context;

  // Site B, another origin, in the same browser.
  const other = await otherSite();
  try {
    const b = await context.newPage();
    await b.goto(other.url);
    expect(await request(b, 'eth_accounts')).toEqual({ result: [] });
    expect(await request(b, 'wallet_getGrantedExecutionPermissions')).toEqual({ result: [] });
    expect(await request(b, 'wallet_revokeExecutionPermission', { permissionContext: context0 })).toMatchObject({ error: { code: -32602 } });
    expect(await request(b, 'wallet_getCapabilities', [account])).toMatchObject({ error: { code: 4100 } });
    expect(
      await request(b, 'wallet_sendCalls', [{ version: '2.0.0', chainId: '0x7a69', from: account, calls: [{ to: agent.address, value: '0x1' }] }]),
    ).toMatchObject({ error: { code: 4100 } });
    // A still sees its own, untouched.
    expect(await request(a, 'eth_accounts')).toEqual({ result: [account] });
    expect(((await request(a, 'wallet_getGrantedExecutionPermissions')) as { result: { context: string }[] }).result.map((g) => g.context)).toEqual([context0]);

    // What a page received, and what the extension stored, never holds the secret.
    const seen = [
      ...(await a.evaluate(() => (window as unknown as { __seen: string[] }).__seen)),
      ...(await b.evaluate(() => (window as unknown as { __seen: string[] }).__seen)),
    ];
    const stored = await popup.evaluate(async () => {
      const c = (
        globalThis as unknown as { chrome: { storage: { local: { get: (k: null) => Promise<unknown> }; session: { get: (k: null) => Promise<unknown> } } } }
      ).chrome;
      return JSON.stringify({ local: await c.storage.local.get(null), session: await c.storage.session.get(null) });
    });
    const haystacks = { 'page messages': seen.join('\n'), 'chrome.storage': stored };
    const hex = privateKey.slice(2);
    const words = mnemonic.split(' ');
    const needles = [
      hex,
      hex.toUpperCase(),
      privateKey,
      `0X${hex.toUpperCase()}`,
      mnemonic,
      words.join(''),
      words.join(','),
      words.slice(0, 4).join(' '),
      words.slice(-4).join(' '),
    ];
    for (const [where, text] of Object.entries(haystacks)) {
      const lower = text.toLowerCase();
      for (const n of needles) expect(lower.includes(n.toLowerCase()), `${where} holds a piece of the secret`).toBe(false);
    }
    console.log(
      `secret scan: ${seen.length} page messages and ${stored.length} bytes of chrome.storage (local + session) searched for the private key (hex, 0x, any case) and the phrase: not found`,
    );
    expect(seen.length).toBeGreaterThan(5);
    expect(stored).toContain('vault');
  } finally {
    other.close();
  }
});
