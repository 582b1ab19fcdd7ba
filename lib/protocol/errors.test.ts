import { BaseError, ChainDisconnectedError, InvalidParamsRpcError, UnauthorizedProviderError, UserRejectedRequestError } from 'viem';
import { describe, expect, it } from 'vitest';
import { invalid } from '../erc7715/errors.js';
import { PermissionError } from '../permissions/errors.js';
import { VaultError } from '../vault/errors.js';
import {
  chainDisconnected,
  fromWireError,
  internalError,
  invalidParams,
  invalidRequest,
  providerDisconnected,
  resourceUnavailable,
  toWireError,
  unauthorized,
  unknownBundle,
  unrecognizedChain,
  unsupportedMethod,
  userRejected,
} from './errors.js';

describe('toWireError', () => {
  it("answers each of the wallet errors with its code and the wallet's own words", () => {
    expect(
      [
        userRejected(),
        unauthorized(),
        unsupportedMethod('eth_foo'),
        providerDisconnected('gone'),
        chainDisconnected('no network'),
        unrecognizedChain('Unrecognized chain 0x1'),
        unknownBundle(),
        invalidRequest(),
        invalidParams('params[0]: an address'),
        resourceUnavailable('3 requests wait'),
        internalError(),
      ].map(toWireError),
    ).toEqual([
      { code: 4001, message: 'User rejected the request' },
      { code: 4100, message: 'This site is not connected: call eth_requestAccounts first' },
      { code: 4200, message: 'Unsupported method: eth_foo' },
      { code: 4900, message: 'gone' },
      { code: 4901, message: 'no network' },
      { code: 4902, message: 'Unrecognized chain 0x1' },
      { code: 5730, message: 'Unknown bundle id' },
      { code: -32600, message: 'Invalid request' },
      { code: -32602, message: 'Invalid params: params[0]: an address' },
      { code: -32002, message: '3 requests wait' },
      { code: -32603, message: 'Internal error' },
    ]);
  });

  it("uses viem's classes, with the wallet's sentence as details", () => {
    const e = userRejected();
    expect(e).toBeInstanceOf(UserRejectedRequestError);
    expect(e.details).toBe('User rejected the request');
    expect(unauthorized()).toBeInstanceOf(UnauthorizedProviderError);
    expect(chainDisconnected('x')).toBeInstanceOf(ChainDisconnectedError);
  });

  it('says "Internal error" for anything not thrown on purpose, viem\'s own RpcErrors included', () => {
    const fromBundler = new InvalidParamsRpcError(new Error('http://127.0.0.1:4337 said: secret body'));
    expect(toWireError(fromBundler)).toEqual({ code: -32603, message: 'Internal error' });
    expect(toWireError(new Error('boom'))).toEqual({ code: -32603, message: 'Internal error' });
    expect(toWireError('text')).toEqual({ code: -32603, message: 'Internal error' });
  });

  it('answers a refused permission request -32602 naming the field', () => {
    expect(toWireError(invalid('[0].permission.data.periodAmount', 'not a uint256'))).toEqual({
      code: -32602,
      message: 'Invalid params: [0].permission.data.periodAmount: not a uint256',
      data: { field: '[0].permission.data.periodAmount', reason: 'not a uint256', kind: 'INVALID_PARAMS' },
    });
  });

  it('gives a stored answer back unchanged through fromWireError', () => {
    for (const w of [
      { code: 4001, message: 'User rejected the request' },
      { code: -32602, message: 'Invalid params: x', data: { field: 'x' } },
      { code: 4902, message: 'Unrecognized chain' },
      { code: 12345, message: 'a code viem has no class for' },
    ]) {
      expect(toWireError(fromWireError(w))).toEqual(w);
    }
  });
});

describe('domain errors', () => {
  it('are viem BaseErrors with shortMessage and details, their messages as before', () => {
    const p = new PermissionError('spend[0].limit', 'above uint96');
    expect(p).toBeInstanceOf(BaseError);
    expect([p.message, p.shortMessage, p.details, p.name]).toEqual([
      'spend[0].limit: above uint96',
      'spend[0].limit: above uint96',
      'above uint96',
      'PermissionError',
    ]);
    const r = invalid('expiry', 'in the past', new Error('zod said'));
    expect([r.message, r.details, r.name, (r.cause as Error).message]).toEqual(['expiry: in the past', 'in the past', 'PermissionRequestError', 'zod said']);
    const v = new VaultError('MALFORMED', 'The stored vault does not have the expected fields.', { cause: new Error('schema dump') });
    expect([v.message, v.details, v.code, v.name]).toEqual([
      'The stored vault does not have the expected fields.',
      'The stored vault does not have the expected fields.',
      'MALFORMED',
      'VaultError',
    ]);
  });
});
