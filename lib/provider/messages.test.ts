import { describe, expect, it } from 'vitest';
import { backgroundRequestSchema, relayEventSchema, relayRequestSchema, rpcResponseSchema, RELAY_TARGET_BACKGROUND, RELAY_TARGET_EVENT } from './messages.js';
import { uiRequestSchema, isUiMessage } from '../background/uiRpc.js';

describe('the message schema between page, relay and background', () => {
  it('accepts a relayed request, with any method and params left to the router to judge', () => {
    expect(relayRequestSchema.parse({ target: RELAY_TARGET_BACKGROUND, id: 'a', method: 'eth_chainId' })).toEqual({
      target: RELAY_TARGET_BACKGROUND,
      id: 'a',
      method: 'eth_chainId',
    });
    expect(
      backgroundRequestSchema.safeParse({ target: RELAY_TARGET_BACKGROUND, id: 'a', method: 1, params: [1], origin: 'http://x', retry: true }).success,
    ).toBe(true);
  });

  it('refuses other targets, missing or oversized ids', () => {
    for (const m of [
      { target: 'x', id: 'a', method: 'm' },
      { target: RELAY_TARGET_BACKGROUND, method: 'm' },
      { target: RELAY_TARGET_BACKGROUND, id: 'x'.repeat(65), method: 'm' },
      { target: RELAY_TARGET_BACKGROUND, id: 'a', method: 'm', retry: 'yes' },
    ]) {
      expect(relayRequestSchema.safeParse(m).success).toBe(false);
    }
  });

  it('passes only the two EIP-1193 events to pages', () => {
    expect(relayEventSchema.safeParse({ target: RELAY_TARGET_EVENT, event: 'chainChanged', data: '0x1' }).success).toBe(true);
    expect(relayEventSchema.safeParse({ target: RELAY_TARGET_EVENT, event: 'message', data: 1 }).success).toBe(false);
  });

  it('lets through to the page only a result or a well-formed error', () => {
    expect(rpcResponseSchema.safeParse({ result: 1 }).success).toBe(true);
    expect(rpcResponseSchema.safeParse({ error: { code: 4001, message: 'no' } }).success).toBe(true);
    expect(rpcResponseSchema.safeParse({ error: { code: '4001', message: 'no' } }).success).toBe(false);
    expect(rpcResponseSchema.safeParse({ result: 1, secret: 'x' }).success).toBe(false);
  });
});

describe("the extension pages' messages", () => {
  it('knows its own message types and nothing else', () => {
    expect(isUiMessage({ type: 'ui:overview' })).toBe(true);
    expect(isUiMessage({ type: 'approval:get', id: '1' })).toBe(true);
    expect(isUiMessage({ type: 'wallet:status' })).toBe(true);
    expect(isUiMessage({ target: RELAY_TARGET_BACKGROUND })).toBe(false);
    expect(isUiMessage(null)).toBe(false);
  });

  it('refuses unknown fields and bad values', () => {
    expect(uiRequestSchema.safeParse({ type: 'ui:install', address: '0x0000000000000000000000000000000000000001' }).success).toBe(true);
    expect(uiRequestSchema.safeParse({ type: 'ui:install', address: 'bob' }).success).toBe(false);
    expect(uiRequestSchema.safeParse({ type: 'ui:overview', extra: 1 }).success).toBe(false);
    expect(uiRequestSchema.safeParse({ type: 'approval:decide', decision: { id: '1', approve: true, limits: [['-1']] } }).success).toBe(false);
    expect(uiRequestSchema.safeParse({ type: 'ui:addNetwork', input: { name: 'x', rpcUrl: 'javascript:alert(1)', bundlerUrl: 'http://b' } }).success).toBe(
      false,
    );
  });
});
