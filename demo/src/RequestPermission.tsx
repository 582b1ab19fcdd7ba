// The request form: how much USDC per how many days, for how long, for which session key; sent
// with the kit's `requestExecutionPermissions` (wallet_requestExecutionPermissions).
import { useState } from 'react';
import { type Address, isAddress } from 'viem';
import { agentRequest, type PeriodicForm, subscriptionRequest } from './requests';
import { SessionKey } from './SessionKey';
import { BUTTON, CARD, INPUT } from './ui';
import { type Erc7715Client, walletError } from './useErc7715';

export type PageKind = 'agent' | 'subscription';

export const DEFAULTS: Record<PageKind, PeriodicForm> = {
  agent: { amount: '100', periodDays: 1, validDays: 7 },
  subscription: { amount: '10', periodDays: 30, validDays: 365 },
};

export type Grants = Awaited<ReturnType<Erc7715Client['requestExecutionPermissions']>>;

export function RequestPermission(props: { kind: PageKind; chainId: number; usdc?: Address; client?: Erc7715Client; onGranted: (grants: Grants) => void }) {
  const { kind, chainId, usdc, client, onGranted } = props;
  const [form, setForm] = useState<PeriodicForm>(DEFAULTS[kind]);
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const num = (k: 'periodDays' | 'validDays') => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: Number(e.target.value) });

  const problem = !usdc
    ? 'The USDC address comes from the devnet JSON, which could not be read.'
    : !isAddress(to)
      ? "Enter the agent's session key address, or generate one."
      : !/^\d+(\.\d{1,6})?$/.test(form.amount) || Number(form.amount) <= 0
        ? 'The amount must be a positive USDC amount.'
        : !(form.periodDays > 0 && form.validDays > 0)
          ? 'Periods must be at least one day.'
          : undefined;

  async function request() {
    if (!client || problem) return;
    setBusy(true);
    setError(undefined);
    try {
      const now = Math.floor(Date.now() / 1000);
      const params = { ...form, chainId, to: to as Address, usdc: usdc!, now };
      const build = kind === 'agent' ? agentRequest : subscriptionRequest;
      onGranted(await client.requestExecutionPermissions([build(params)]));
    } catch (err) {
      setError(walletError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={`${kind}-heading`} className={CARD}>
      <h2 id={`${kind}-heading`} className="text-lg font-semibold">
        {kind === 'agent' ? 'Give an agent a spending permission' : 'Subscription'}
      </h2>
      <p className="text-sm text-slate-600">
        {kind === 'agent'
          ? 'Up to this much USDC per period, only USDC.transfer, until it expires (erc20-token-periodic).'
          : 'A merchant takes a fixed amount once per period, periods counted from now (erc20-token-periodic with a start time).'}
      </p>
      <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-3">
        <label className="text-sm">
          Amount (USDC)
          <input className={INPUT} inputMode="decimal" value={form.amount} onChange={(e) => setForm({ ...form, amount: e.target.value.trim() })} />
        </label>
        <label className="text-sm">
          Period (days)
          <input className={INPUT} type="number" min={1} value={form.periodDays} onChange={num('periodDays')} />
        </label>
        <label className="text-sm">
          Valid for (days)
          <input className={INPUT} type="number" min={1} value={form.validDays} onChange={num('validDays')} />
        </label>
      </div>
      <p className="mt-2 text-sm" data-testid="request-summary">
        {form.amount} USDC per {form.periodDays === 1 ? 'day' : `${form.periodDays} days`}, only USDC.transfer, {form.validDays} days
        {usdc && <span className="ml-1 font-mono text-xs text-slate-500">(USDC {usdc})</span>}
      </p>
      <div className="mt-3">
        <SessionKey value={to} onChange={setTo} />
      </div>
      <button type="button" className={`${BUTTON} mt-3`} disabled={!client || !!problem || busy} aria-busy={busy} onClick={request}>
        Request permission
      </button>
      {busy && (
        <span role="status" className="ml-2 text-sm">
          Waiting for the wallet…
        </span>
      )}
      {problem && <p className="mt-1 text-sm text-slate-600">{problem}</p>}
      {error && (
        <p role="alert" className="mt-2 text-red-700">
          {error}
        </p>
      )}
    </section>
  );
}
