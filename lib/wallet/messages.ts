// Messages from the extension's own pages (popup, approval) to the background's wallet service.
// Never accepted from pages or content scripts: the background checks the sender first.
import { z } from 'zod';

export const walletRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('wallet:status') }).strict(),
  z.object({ type: z.literal('wallet:create'), password: z.string().min(8).max(256) }).strict(),
  z.object({ type: z.literal('wallet:import'), secret: z.string().min(1).max(1000), password: z.string().min(8).max(256) }).strict(),
  z.object({ type: z.literal('wallet:unlock'), password: z.string().min(1).max(256) }).strict(),
  z.object({ type: z.literal('wallet:lock') }).strict(),
]);

export type WalletRequest = z.infer<typeof walletRequestSchema>;

export interface WalletStatus {
  hasVault: boolean;
  locked: boolean;
  /** The owner's address when unlocked. */
  owner?: `0x${string}`;
}

export type WalletResponse =
  { ok: true; status: WalletStatus; /** Only once, right after creation. */ mnemonic?: string } | { ok: false; error: string; status?: WalletStatus };

export function isWalletMessage(m: unknown): boolean {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string' && (m as { type: string }).type.startsWith('wallet:');
}
