import { useState } from 'react';
import type { WalletRequest, WalletResponse } from '@/lib/wallet/messages';

/** Create a wallet (phrase shown once) or import a phrase or a private key, behind a password. */
export function Onboarding({ run }: { run: (req: WalletRequest) => Promise<WalletResponse> }) {
  const [mode, setMode] = useState<'create' | 'phrase' | 'key'>('create');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [secret, setSecret] = useState('');
  const mismatch = confirm.length > 0 && password !== confirm;
  const ready = password.length >= 8 && password === confirm && (mode === 'create' || secret.trim().length > 0);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    void run(mode === 'create' ? { type: 'wallet:create', password } : { type: 'wallet:import', secret, password });
  };

  return (
    <form onSubmit={submit} className="space-y-2" aria-label="Set up your wallet">
      <div role="tablist" className="flex gap-2">
        {(['create', 'phrase', 'key'] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            aria-selected={mode === m}
            className={mode === m ? 'font-semibold underline' : ''}
            onClick={() => setMode(m)}
          >
            {m === 'create' ? 'New wallet' : m === 'phrase' ? 'Import a phrase' : 'Import a private key'}
          </button>
        ))}
      </div>
      {mode !== 'create' && (
        <label className="block">
          {mode === 'phrase' ? 'Secret recovery phrase' : 'Private key'}
          <textarea
            className="mt-1 w-full rounded border p-1 font-mono"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </label>
      )}
      <label className="block">
        Password
        <input type="password" className="mt-1 w-full rounded border p-1" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <label className="block">
        Confirm password
        <input type="password" className="mt-1 w-full rounded border p-1" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
      </label>
      {mismatch && <p className="text-red-700">The passwords differ.</p>}
      {password.length > 0 && password.length < 8 && <p className="text-red-700">At least 8 characters.</p>}
      <button type="submit" disabled={!ready} className="rounded bg-gray-900 px-3 py-1 text-white disabled:opacity-40">
        {mode === 'create' ? 'Create wallet' : 'Import wallet'}
      </button>
    </form>
  );
}
