// The extension in real Chromium: a page discovers Functor with EIP-6963 and talks to the
// background through the content relay; unsupported and malformed requests get EIP-1193 errors.
import { expect, test } from './fixtures';

test('a page discovers Functor with EIP-6963 and eth_chainId answers from the background', async ({ context, extensionId, pageUrl }) => {
  expect(extensionId).toMatch(/^[a-p]{32}$/);
  const page = await context.newPage();
  await page.goto(pageUrl);
  const found = await page.evaluate(async () => {
    const providers: { info: { name: string; rdns: string; uuid: string }; provider: { request: (a: unknown) => Promise<unknown> } }[] = [];
    window.addEventListener('eip6963:announceProvider', (e) => providers.push((e as CustomEvent).detail));
    window.dispatchEvent(new Event('eip6963:requestProvider'));
    const functor = providers.find((p) => p.info.rdns === 'xyz.functor.wallet');
    if (!functor) return null;
    return {
      name: functor.info.name,
      chainId: await functor.provider.request({ method: 'eth_chainId' }),
      permissionTypes: Object.keys((await functor.provider.request({ method: 'wallet_getSupportedExecutionPermissions' })) as object).length,
      isWindowEthereum: (window as unknown as { ethereum?: unknown }).ethereum === functor.provider,
    };
  });
  expect(found).toEqual({ name: 'Functor', chainId: '0x7a69', permissionTypes: 7, isWindowEthereum: true });
});

test('unsupported and malformed requests get EIP-1193 errors', async ({ context, pageUrl }) => {
  const page = await context.newPage();
  await page.goto(pageUrl);
  const errors = await page.evaluate(async () => {
    const eth = (window as unknown as { ethereum: { request: (a: unknown) => Promise<unknown> } }).ethereum;
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: { code: number }) => e.code,
      );
    return {
      unknown: await codeOf(eth.request({ method: 'eth_signTypedData_v4', params: [] })),
      notAString: await codeOf(eth.request({ method: 42 })),
      noArgs: await codeOf(eth.request(null)),
      protoKey: await codeOf(eth.request({ method: '__proto__' })),
    };
  });
  expect(errors).toEqual({ unknown: 4200, notAString: -32600, noArgs: -32600, protoKey: 4200 });
});
