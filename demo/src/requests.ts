// The two permissions the demo asks for, as @metamask/smart-accounts-kit takes them (amounts as
// bigint, durations in seconds; the kit turns them into wallet_requestExecutionPermissions' hex).
import type { PermissionRequestParameter } from '@metamask/smart-accounts-kit/actions';
import { type Address, parseUnits } from 'viem';

export const DAY = 86_400;
export const USDC_DECIMALS = 6;

export type PeriodicForm = {
  /** USDC per period, as typed ("100"). */
  amount: string;
  periodDays: number;
  /** How long the grant lasts (the expiry rule). */
  validDays: number;
};

type Params = PeriodicForm & { chainId: number; to: Address; usdc: Address; now: number };

function usdcPeriodic(p: Params, o: { isAdjustmentAllowed: boolean; startTime?: number; justification: string }): PermissionRequestParameter {
  return {
    chainId: p.chainId,
    to: p.to,
    expiry: p.now + p.validDays * DAY,
    permission: {
      type: 'erc20-token-periodic',
      isAdjustmentAllowed: o.isAdjustmentAllowed,
      data: {
        tokenAddress: p.usdc,
        periodAmount: parseUnits(p.amount, USDC_DECIMALS),
        periodDuration: p.periodDays * DAY,
        ...(o.startTime !== undefined && { startTime: o.startTime }),
        justification: o.justification,
      },
    },
  };
}

const per = (days: number) => (days === 1 ? 'day' : `${days} days`);

/** "100 USDC per day, only USDC.transfer, 7 days": erc20-token-periodic on USDC (the user may lower it). */
export const agentRequest = (p: Params) =>
  usdcPeriodic(p, { isAdjustmentAllowed: true, justification: `An agent may send up to ${p.amount} USDC per ${per(p.periodDays)} for ${p.validDays} days` });

/**
 * A subscription: a fixed period that starts now, so the merchant's key can take the amount once
 * in each period (at its start, or any time in it), and no more.
 */
export const subscriptionRequest = (p: Params) =>
  usdcPeriodic(p, { isAdjustmentAllowed: false, startTime: p.now, justification: `Subscription: ${p.amount} USDC every ${per(p.periodDays)}` });

/** JSON without bigints (as 0x-hex, the wire format), for context.json and window.__functorDemo. */
export function toJsonSafe<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)));
}
