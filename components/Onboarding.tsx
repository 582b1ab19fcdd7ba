import { useState } from 'react';
import type { WalletRequest, WalletResponse } from '@/lib/wallet/messages';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { Field } from '@/components/ui/Field';
import { IconShieldCheck } from '@/components/ui/icons';

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
    <Card className="space-y-3">
      <div className="flex items-center gap-2">
        <IconShieldCheck aria-hidden="true" size={20} className="text-primary" />
        <h2 className="text-base font-semibold">Set up your wallet</h2>
      </div>
      <form onSubmit={submit} className="space-y-3" aria-label="Set up your wallet">
        <div role="tablist" aria-label="How" className="flex gap-1 rounded-control bg-surface p-1">
          {(['create', 'phrase', 'key'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              aria-selected={mode === m}
              className={`flex-1 rounded-[0.375rem] px-2 py-1 text-xs font-medium ${mode === m ? 'bg-raised text-fg shadow-sm' : 'text-muted hover:text-fg'}`}
              onClick={() => setMode(m)}
            >
              {m === 'create' ? 'New wallet' : m === 'phrase' ? 'Import a phrase' : 'Import a private key'}
            </button>
          ))}
        </div>
        {mode !== 'create' && (
          <Field multiline className="font-mono" label={mode === 'phrase' ? 'Secret recovery phrase' : 'Private key'} value={secret} onValue={setSecret} />
        )}
        <Field
          type="password"
          label="Password"
          value={password}
          onValue={setPassword}
          error={password.length > 0 && password.length < 8 ? 'At least 8 characters.' : undefined}
        />
        <Field type="password" label="Confirm password" value={confirm} onValue={setConfirm} error={mismatch ? 'The passwords differ.' : undefined} />
        <Button type="submit" variant="primary" disabled={!ready} className="w-full">
          {mode === 'create' ? 'Create wallet' : 'Import wallet'}
        </Button>
      </form>
    </Card>
  );
}
