import { useState } from 'react';
import type { Call } from '../client';
import { Button } from '@/components/ui/Button';

type Step = { text: string; state: 'doing' | 'done' | 'failed' };

/**
 * Functor is not on the active network: deploy it from the owner's account in one operation (the
 * account pays the gas), showing each step as it happens: checked and sent, landed, read back.
 */
export function DeployFunctor({ send, network, onStart, onDone }: { send: Call; network: string; onStart: () => void; onDone: () => void }) {
  const [steps, setSteps] = useState<Step[]>([]);
  const busy = steps.some((s) => s.state === 'doing');
  const settle = (state: Step['state'], next?: string) =>
    setSteps((s) => [...s.map((x) => (x.state === 'doing' ? { ...x, state } : x)), ...(next ? [{ text: next, state: 'doing' as const }] : [])]);

  const deploy = async () => {
    onStart();
    setSteps([{ text: 'Checking the chain and sending one operation…', state: 'doing' }]);
    const sent = await send({ type: 'ui:deployFunctor' });
    if (!sent.ok) return setSteps((s) => [...s.map((x) => ({ ...x, state: 'failed' as const })), { text: sent.error, state: 'failed' }]);
    if ('already' in sent) {
      settle('done');
      setSteps((s) => [...s, { text: `Functor is already on ${network}.`, state: 'done' }]);
      return onDone();
    }
    settle(
      'done',
      `Sent from ${sent.account.name} ${sent.account.address.slice(0, 10)}… (deploying ${new Intl.ListFormat('en', { type: 'conjunction' }).format(sent.deploying)}): waiting for it to land…`,
    );
    const landed = await send({ type: 'ui:deployFunctorWait', userOpHash: sent.userOpHash });
    if (!landed.ok) {
      settle('failed');
      return setSteps((s) => [...s, { text: landed.error, state: 'failed' }]);
    }
    settle('done');
    setSteps((s) => [
      ...s,
      { text: `Landed in transaction ${landed.transactionHash.slice(0, 12)}…`, state: 'done' },
      { text: `Functor is on ${network}: KeyStore ${landed.addresses.keyStore.slice(0, 10)}…, hook and validator checked.`, state: 'done' },
    ]);
    onDone();
  };

  const failed = steps.some((s) => s.state === 'failed');
  const done = steps.length > 0 && steps.every((s) => s.state === 'done');
  return (
    <section aria-label="Deploy Functor" className="space-y-2 rounded-card border border-warn-line bg-warn-soft p-3 text-xs text-warn-text">
      {done ? (
        <p>Functor is deployed on {network}.</p>
      ) : (
        <p>
          Functor's contracts are not on {network}. Deploy them from your account in one operation: the account pays the gas, and Functor lands at the addresses
          it has on every chain.
        </p>
      )}
      {(steps.length === 0 || failed) && (
        <Button variant="primary" disabled={busy} onClick={() => void deploy()}>
          {failed ? 'Try again' : 'Deploy Functor'}
        </Button>
      )}
      {steps.length > 0 && (
        <div role="status" aria-label="Deploy progress">
          <ol className="list-decimal pl-5">
            {steps.map((s, i) => (
              <li key={i} data-state={s.state} className={s.state === 'failed' ? 'text-danger-text' : ''}>
                {s.text}
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
