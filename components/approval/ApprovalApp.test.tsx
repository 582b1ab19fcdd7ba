// @vitest-environment happy-dom
// The approval window reads its view when it opens and when it is told something changed, not on
// a timer (each read re-reads the chain); only while the view cannot be read does it try again.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { ApprovalView, PermissionView } from '@/lib/protocol/views';
import type { Call } from '../client';
import { ApprovalApp, RETRY_MS, type WatchChanges } from './ApprovalApp';

afterEach(cleanup);

const view = (over: Partial<ApprovalView> = {}): ApprovalView => ({
  approval: { id: '1', origin: 'http://dapp.test', kind: 'connect', state: 'open', progress: [] },
  locked: false,
  accounts: [],
  ...over,
});

function harness(views: ApprovalView[]) {
  let reads = 0;
  const listeners = new Set<() => void>();
  const send = (async (m: { type: string }) => {
    if (m.type !== 'approval:get') return { ok: false, error: 'not in this test' };
    return { ok: true, view: views[Math.min(reads++, views.length - 1)] };
  }) as Call;
  const watch: WatchChanges = (onChange) => {
    listeners.add(onChange);
    return () => listeners.delete(onChange);
  };
  render(<ApprovalApp id="1" send={send} close={() => undefined} watch={watch} />);
  return { reads: () => reads, change: () => act(() => listeners.forEach((l) => l())), listeners };
}

/** An account the window offers, deployed, with Functor. */
const kernel = { kind: 'kernel', name: 'Kernel', address: '0x00000000000000000000000000000000000000a1', deployed: true, functor: true, balance: '1' } as const;

const wait = (ms: number) => act(() => new Promise((r) => setTimeout(r, ms)));

describe('ApprovalApp', () => {
  test('reads once on open, then only when told of a change', async () => {
    const h = harness([view(), view({ approval: { ...view().approval, state: 'running', progress: ['Sending the transaction…'] } })]);
    await screen.findByRole('button', { name: 'Approve' });
    await wait(RETRY_MS * 2);
    expect(h.reads()).toBe(1);
    await h.change();
    expect(await screen.findByText('Sending the transaction…')).toBeTruthy();
    expect(h.reads()).toBe(2);
  });

  test('shows the state of the last read begun, whichever answer comes last', async () => {
    const gates: ((v: unknown) => void)[] = [];
    const views = [
      view(),
      view({ approval: { ...view().approval, state: 'running', progress: ['Sending the transaction…'] } }),
      view({ approval: { ...view().approval, state: 'done', progress: ['Sent'] } }),
    ];
    let reads = 0;
    const listeners: (() => void)[] = [];
    const send = (async () => {
      const v = views[reads++]!;
      // The first read answers at once; of the next two, the later one answers first.
      if (reads > 1) await new Promise((r) => gates.push(r));
      return { ok: true, view: v };
    }) as unknown as Call;
    render(<ApprovalApp id="1" send={send} close={() => undefined} watch={(l) => (listeners.push(l), () => undefined)} />);
    await screen.findByRole('button', { name: 'Approve' });
    await act(async () => listeners.forEach((l) => l()));
    await act(async () => listeners.forEach((l) => l()));
    await act(async () => gates[1]!(undefined));
    await act(async () => gates[0]!(undefined));
    expect(await screen.findByText('Done.')).toBeTruthy();
    expect(screen.queryByText('Working… keep this window open.')).toBeNull();
  });

  test('stops listening when the window goes', async () => {
    const h = harness([view()]);
    await screen.findByRole('button', { name: 'Approve' });
    cleanup();
    expect(h.listeners.size).toBe(0);
  });

  test('tries again while the view cannot be read, and stops once it can', async () => {
    const h = harness([view({ problem: 'The network does not answer' }), view({ problem: 'The network does not answer' }), view()]);
    expect(await screen.findByText('The network does not answer')).toBeTruthy();
    for (let i = 0; i < 10 && h.reads() < 3; i++) await wait(RETRY_MS / 2);
    expect(h.reads()).toBe(3);
    expect(screen.queryByText('The network does not answer')).toBeNull();
    await wait(RETRY_MS * 2);
    expect(h.reads()).toBe(3);
  });

  test('marks a site the wallet has never seen, and only such a site', async () => {
    harness([view({ firstTime: true })]);
    expect(await screen.findByText('First time you see this site')).toBeTruthy();
    cleanup();
    harness([view()]);
    await screen.findByRole('button', { name: 'Approve' });
    expect(screen.queryByText('First time you see this site')).toBeNull();
  });

  test('a permission reads top-down: who asks, one sentence, the limit, the risks, the accounts, then details collapsed', async () => {
    const permission: PermissionView = {
      type: 'erc20-token-periodic',
      to: '0x00000000000000000000000000000000000000b0',
      lines: ['May call transfer on USDC', 'Gas: at most 0.1 ETH in all'],
      warnings: ['No expiry: it stays valid until you revoke it'],
      notes: ['Enforced by FunctorPolicyHook'],
      adjustable: false,
      spends: [
        { index: 0, token: '0xusdc', symbol: 'USDC', decimals: 6, limit: '100000000', formatted: '100', period: 'Fixed periods of 24 hours', seconds: 86_400 },
      ],
    };
    harness([
      view({
        approval: { ...view().approval, kind: 'permissions', origin: 'https://example.org' },
        firstTime: true,
        accounts: [kernel],
        permissions: [permission],
      }),
    ]);
    const sentence = await screen.findByTestId('sentence');
    expect(sentence.textContent).toBe("example.org's agent may spend up to 100 USDC a day from your Kernel account with no end date.");
    const order = [
      screen.getByTestId('origin'),
      screen.getByText('First time you see this site'),
      sentence,
      screen.getByTestId('limit-0'),
      screen.getByRole('alert', { name: 'Warnings' }),
      screen.getByRole('checkbox', { name: /^Kernel / }),
      screen.getByText('Details'),
      screen.getByRole('button', { name: 'Approve' }),
    ];
    for (let i = 1; i < order.length; i++) expect(order[i - 1]!.compareDocumentPosition(order[i]!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByTestId('limit-0').textContent).toBe('Limit: 100 USDC');
    // The gas bound and the agent's address are details: inside the collapsed part, not the summary.
    const details = screen.getByText('Details').closest('details')!;
    expect(details.open).toBe(false);
    expect(details.textContent).toContain('Gas: at most 0.1 ETH in all');
    expect(details.textContent).toContain(permission.to);
    expect(screen.getByRole('list', { name: 'What the agent may do' }).textContent).toBe('May call transfer on USDC');
  });

  test('approving shows each operation on its way: signing, sent, landed, per chain', async () => {
    const op = 'Kernel: register the key and set its policy';
    const running = (steps: NonNullable<ApprovalView['approval']['steps']>) =>
      view({ approval: { ...view().approval, kind: 'permissions', state: 'running', progress: [], steps } });
    const h = harness([
      running([
        { chain: 'Local devnet', label: op, state: 'sent' },
        { chain: 'Sepolia', label: op, state: 'signing' },
      ]),
      view({
        approval: {
          ...view().approval,
          kind: 'permissions',
          state: 'failed',
          error: 'Sepolia: the bundler does not answer',
          progress: [],
          steps: [
            { chain: 'Local devnet', label: op, state: 'landed', transaction: '0xabc' },
            { chain: 'Sepolia', label: op, state: 'failed', failedAt: 'landed' },
          ],
        },
      }),
    ]);
    const steps = await screen.findByRole('list', { name: 'Onchain steps' });
    const stages = (name: string) =>
      Object.fromEntries(
        Array.from(within(steps).getByRole('listitem', { name }).querySelectorAll('[data-stage]')).map((e) => [
          e.getAttribute('data-stage'),
          e.getAttribute('data-stage-state'),
        ]),
      );
    expect(stages(`Local devnet: ${op}: sent`)).toEqual({ signing: 'done', sent: 'done', landed: 'current' });
    expect(stages(`Sepolia: ${op}: signing`)).toEqual({ signing: 'current', sent: 'todo', landed: 'todo' });
    await h.change();
    await screen.findByText(/Failed:/);
    expect(stages(`Local devnet: ${op}: landed`)).toEqual({ signing: 'done', sent: 'done', landed: 'done' });
    expect(stages(`Sepolia: ${op}: failed`)).toEqual({ signing: 'done', sent: 'done', landed: 'failed' });
  });

  test('a connection says in one sentence which accounts the site will see, as they are ticked', async () => {
    const safe = { ...kernel, kind: 'safe', name: 'Safe', address: '0x00000000000000000000000000000000000000a3' } as const;
    harness([view({ approval: { ...view().approval, origin: 'https://example.org' }, accounts: [kernel, safe] })]);
    const sentence = await screen.findByTestId('sentence');
    expect(sentence.textContent).toContain('example.org will see the address of your Kernel account');
    await act(async () => void screen.getByRole('checkbox', { name: /^Safe / }).click());
    expect(sentence.textContent).toContain('your Kernel and Safe accounts');
  });
});
