import { useCallback, useEffect, useState } from 'react';
import type { KeyView } from '@/lib/protocol/views';
import type { Call } from '../client';
import { KeyCard } from './KeyCard';
import { RevokeEverything } from './RevokeEverything';
import { EmptyState } from '@/components/ui/EmptyState';
import { Notice } from '@/components/ui/Notice';
import { Skeleton } from '@/components/ui/Skeleton';

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
      <Notice tone="danger" role="alert">
        Could not read the keys: {error}
      </Notice>
    );
  if (!keys) return <Skeleton label="Loading keys" />;
  const notRead = unreachable.length > 0 && (
    <Notice tone="warn" role="alert">
      Keys on {unreachable.map((u) => `${u.name} (chain ${u.chainId})`).join(', ')} could not be read: {unreachable.map((u) => u.error).join('; ')}
    </Notice>
  );
  if (keys.length === 0)
    return (
      <>
        {notRead}
        <EmptyState title="No keys yet.">A dapp asks for one with a permission request; it then shows here.</EmptyState>
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
          <h2 className="mb-1 text-xs font-semibold text-muted">{name}</h2>
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
