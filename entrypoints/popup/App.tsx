import { useEffect, useState } from 'react';
import type { WalletRequest, WalletResponse, WalletStatus } from '@/lib/wallet/messages';
import { Onboarding } from '@/components/Onboarding';
import { Unlock } from '@/components/Unlock';

async function ask(req: WalletRequest): Promise<WalletResponse> {
  return browser.runtime.sendMessage(req);
}

export function App() {
  const [status, setStatus] = useState<WalletStatus | undefined>();
  const [phrase, setPhrase] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  const run = async (req: WalletRequest) => {
    setError(undefined);
    const r = await ask(req);
    if (r.status) setStatus(r.status);
    if (!r.ok) setError(r.error);
    else if (r.mnemonic) setPhrase(r.mnemonic);
    return r;
  };

  useEffect(() => {
    void run({ type: 'wallet:status' });
  }, []);

  return (
    <main className="w-96 space-y-3 p-4 font-sans text-sm">
      <h1 className="text-lg font-semibold">Functor</h1>
      {error && (
        <p role="alert" className="rounded bg-red-50 p-2 text-red-700">
          {error}
        </p>
      )}
      {!status && <p>Loading…</p>}
      {status && !status.hasVault && <Onboarding run={run} />}
      {status?.hasVault && status.locked && <Unlock onUnlock={(password) => run({ type: 'wallet:unlock', password })} />}
      {status && !status.locked && (
        <section aria-label="Owner" className="space-y-2">
          {phrase && (
            <div role="note" className="rounded border border-amber-400 bg-amber-50 p-2">
              <p className="font-medium">Secret recovery phrase: write it down now, it is shown once.</p>
              <p data-testid="phrase" className="font-mono">{phrase}</p>
              <button className="mt-2 rounded bg-gray-900 px-3 py-1 text-white" onClick={() => setPhrase(undefined)}>
                I wrote it down
              </button>
            </div>
          )}
          <p>
            Owner <span data-testid="owner" className="font-mono">{status.owner}</span>
          </p>
          <button className="rounded border px-3 py-1" onClick={() => run({ type: 'wallet:lock' })}>
            Lock
          </button>
        </section>
      )}
    </main>
  );
}
