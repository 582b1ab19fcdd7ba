import { useCallback, useEffect, useState } from 'react';
import type { KeyView } from '@/lib/protocol/views';
import type { Call } from '../client';
import { KeyCard } from './KeyCard';
import { RevokeEverything } from './RevokeEverything';

/** Every key the owner controls, grouped by agent (its name or the site that asked), newest activity first. */
export function KeysView({ send, pollMs = 4000, focus }: { send: Call; pollMs?: number; focus?: { networkId: string; keyId: string } }) {
  const [keys, setKeys] = useState<KeyView[] | undefined>();
  const [unreachable, setUnreachable] = useState<{ name: string; chainId: number; error: string }[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [tick, setTick] = useState(0);

  const load = useCallback(async () => {
    const r = await send({ type: 'ui:keys' });
    if (!r.ok) return setError(r.error);
    setError(undefined);
    setKeys(r.keys);
    setUnreachable(r.unreachable ?? []);
    setTick((t) => t + 1);
  }, [send]);

  useEffect(() => {
    void load();
    // Chain reads are cheap on one network: a new block's events show up within a few seconds.
    const t = setInterval(() => void load(), pollMs);
    return () => clearInterval(t);
  }, [load, pollMs]);

  if (error)
    return (
      <p role="alert" className="rounded bg-red-50 p-2 text-red-700">
        Could not read the keys: {error}
      </p>
    );
  if (!keys) return <p>Loading keys…</p>;
  const notRead = unreachable.length > 0 && (
    <p role="alert" className="rounded bg-amber-50 p-2 text-amber-900">
      Keys on {unreachable.map((u) => `${u.name} (chain ${u.chainId})`).join(', ')} could not be read: {unreachable.map((u) => u.error).join('; ')}
    </p>
  );
  if (keys.length === 0)
    return (
      <>
        {notRead}
        <p>No keys yet. A dapp asks for one with a permission request; it then shows here.</p>
      </>
    );

  const groups = new Map<string, KeyView[]>();
  for (const k of keys) groups.set(k.name, [...(groups.get(k.name) ?? []), k]);
  return (
    <section aria-label="Keys" className="space-y-3">
      {notRead}
      <RevokeEverything send={send} keys={keys} onChanged={() => void load()} />
      {[...groups].map(([name, list]) => (
        <div key={name}>
          <h2 className="text-sm font-semibold">{name}</h2>
          <ul className="space-y-2">
            {list.map((k) => (
              <KeyCard
                key={`${k.chains[0]?.networkId}-${k.keyId}`}
                focused={!!focus && k.chains.some((c) => c.networkId === focus.networkId && c.keyId.toString() === focus.keyId)}
                send={send}
                k={k}
                onChanged={() => void load()}
                refreshKey={tick}
              />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
