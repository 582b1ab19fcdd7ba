import { useState } from 'react';
import { Button } from '@/components/ui/Button';
import { Field } from '@/components/ui/Field';
import { IconLock } from '@/components/ui/icons';

export function Unlock({ onUnlock }: { onUnlock: (password: string) => Promise<unknown> }) {
  const [password, setPassword] = useState('');
  return (
    <form
      aria-label="Unlock"
      className="space-y-3 rounded-card border border-line bg-raised p-3"
      onSubmit={(e) => {
        e.preventDefault();
        // Cleared at once: what is typed next is the next attempt, whatever the answer to this one.
        const typed = password;
        setPassword('');
        void onUnlock(typed);
      }}
    >
      <p className="flex items-center gap-2 font-semibold">
        <IconLock aria-hidden="true" size={16} className="text-primary" />
        The wallet is locked
      </p>
      <Field type="password" label="Password" value={password} onValue={setPassword} />
      <Button type="submit" variant="primary" className="w-full">
        Unlock
      </Button>
    </form>
  );
}
