import { useState } from 'react';

export function Unlock({ onUnlock }: { onUnlock: (password: string) => Promise<unknown> }) {
  const [password, setPassword] = useState('');
  return (
    <form
      aria-label="Unlock"
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        // Cleared at once: what is typed next is the next attempt, whatever the answer to this one.
        const typed = password;
        setPassword('');
        void onUnlock(typed);
      }}
    >
      <label className="block">
        Password
        <input type="password" className="mt-1 w-full rounded border p-1" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <button type="submit" className="rounded bg-gray-900 px-3 py-1 text-white">
        Unlock
      </button>
    </form>
  );
}
