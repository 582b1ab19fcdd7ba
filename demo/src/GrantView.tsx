// What the wallet answered: the grant and its `context`, which is what the agent needs. Copy it,
// or download the whole answer as context.json for `functor-agent --context context.json`.
import { useEffect, useMemo, useState } from 'react';
import { decodeContext } from '../../lib/erc7715/response.js';
import type { Grants } from './RequestPermission';
import { toJsonSafe } from './requests';
import { BUTTON, BUTTON_SECONDARY, CARD, INPUT, copy } from './ui';

export function GrantView({ grants }: { grants: Grants }) {
  const [copied, setCopied] = useState<string>();
  const json = useMemo(() => JSON.stringify(toJsonSafe(grants), null, 2), [grants]);
  const download = useMemo(() => URL.createObjectURL(new Blob([json + '\n'], { type: 'application/json' })), [json]);
  useEffect(() => () => URL.revokeObjectURL(download), [download]);
  const first = grants[0];
  if (!first) return null;
  let decoded: ReturnType<typeof decodeContext> | undefined;
  try {
    decoded = decodeContext(first.context);
  } catch {
    // not a Functor context (another wallet): show the answer as it is
  }
  const to = first.to;
  return (
    <section aria-label="Grant" className={CARD}>
      <h2 className="text-lg font-semibold">Granted</h2>
      {decoded && (
        <dl className="mt-2 grid grid-cols-[8rem_1fr] gap-1 text-sm">
          <dt>Account</dt>
          <dd className="font-mono break-all">
            {decoded.account} ({decoded.kind})
          </dd>
          <dt>Key id</dt>
          <dd className="font-mono break-all">0x{decoded.keyId.toString(16)}</dd>
          <dt>Session key</dt>
          <dd className="font-mono break-all">{to}</dd>
          <dt>Chain</dt>
          <dd>{decoded.chainId}</dd>
        </dl>
      )}
      <label className="mt-3 block text-sm">
        Context
        <textarea className={INPUT} readOnly rows={4} value={first.context} data-testid="context" />
      </label>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <button type="button" className={BUTTON} onClick={async () => setCopied(await copy(first.context))}>
          Copy context
        </button>
        <a className={BUTTON_SECONDARY} href={download} download="context.json">
          Download context.json
        </a>
        {copied && <span role="status">{copied}</span>}
      </div>
      <p className="mt-3 text-sm">Hand it to the agent, which spends within the grant:</p>
      <pre className="mt-1 overflow-x-auto rounded bg-slate-900 p-2 text-xs text-slate-100">
        {`npx functor-agent send --context context.json --key agent.key --to 0xRECIPIENT --amount 60 --token usdc\nnpx functor-agent status --context context.json`}
      </pre>
      <p className="mt-2 text-sm text-slate-600">
        This demo's agent sends its calls as ERC-4337 UserOps through the bundler; an agent built on MetaMask's kit can redeem the same grant through the
        DelegationManager (ERC-7710), as <code>functor-agent send --via erc7710</code> does.
      </p>
      <details className="mt-3 text-sm">
        <summary>The wallet's answer (wallet_requestExecutionPermissions)</summary>
        <pre className="mt-1 overflow-x-auto text-xs" data-testid="grant-json">
          {json}
        </pre>
      </details>
    </section>
  );
}
