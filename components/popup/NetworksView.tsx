import { useState } from 'react';

import type { ActiveNetwork, NetworkSummary } from '@/lib/protocol/views';
import { KNOWN_NETWORKS } from '@/lib/networks/known';
import type { Call } from '../client';
import { DeployFunctor } from './DeployFunctor';
import { Button } from '@/components/ui/Button';
import { Field, INPUT_CLASS } from '@/components/ui/Field';
import { Notice } from '@/components/ui/Notice';

export type { ActiveNetwork, NetworkSummary };

/**
 * The networks, the active one with its health, and a form to add one: a public network the wallet
 * knows needs only an RPC URL and a bundler URL; another one a name and its addresses file.
 */
export function NetworksView({ send, networks, active, onChange }: { send: Call; networks: NetworkSummary[]; active?: ActiveNetwork; onChange: () => void }) {
  const [form, setForm] = useState({ known: String(KNOWN_NETWORKS[0]!.chainId), name: '', rpcUrl: '', bundlerUrl: '', addressesUrl: '' });
  const other = form.known === 'other';
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  /** The network a deployment was started on: its steps stay shown once Functor is there. */
  const [deployingOn, setDeployingOn] = useState<string | undefined>();
  const field = (k: keyof typeof form, label: string) => <Field label={label} value={form[k]} onValue={(v) => setForm({ ...form, [k]: v })} />;
  return (
    <section aria-label="Networks" className="space-y-2">
      {!active && (
        <p role="alert">
          No network: start the local devnet with <code>npm start</code>, or add one below.
        </p>
      )}
      {active?.check && !active.check.ok && (
        <div role="alert">
          <ul className="list-disc rounded bg-warn-soft p-2 pl-6 text-warn-text">
            {active.check.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {active && (active.check?.functorMissing || deployingOn === active.id) && (
        <DeployFunctor key={active.id} send={send} network={active.name} onStart={() => setDeployingOn(active.id)} onDone={onChange} />
      )}
      <label className="block font-medium">
        Network
        <select
          className={`ml-2 ${INPUT_CLASS}`}
          value={active?.id ?? ''}
          onChange={async (e) => {
            await send({ type: 'ui:selectNetwork', id: e.target.value });
            onChange();
          }}
        >
          {networks.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name} ({n.chainId})
            </option>
          ))}
        </select>
      </label>
      <form
        aria-label="Add a network"
        className="space-y-2 rounded-card border border-line bg-raised p-3"
        onSubmit={async (e) => {
          e.preventDefault();
          const input = other
            ? { name: form.name, rpcUrl: form.rpcUrl, bundlerUrl: form.bundlerUrl, ...(form.addressesUrl && { addressesUrl: form.addressesUrl }) }
            : { known: Number(form.known), rpcUrl: form.rpcUrl, bundlerUrl: form.bundlerUrl };
          const r = await send({ type: 'ui:addNetwork', input });
          const check = r.check;
          setMessage({
            ok: r.ok && !check?.problems.length,
            text: r.ok ? (check?.problems.length ? `Added, but: ${check.problems.join('; ')}` : 'Added: the Functor contracts are there.') : r.error,
          });
          onChange();
        }}
      >
        <p className="font-semibold">Add a network</p>
        <label className="block text-sm font-medium">
          Chain
          <select className={`mt-1 w-full ${INPUT_CLASS}`} value={form.known} onChange={(e) => setForm({ ...form, known: e.target.value })}>
            {KNOWN_NETWORKS.map((n) => (
              <option key={n.chainId} value={n.chainId}>
                {n.name} ({n.chainId})
              </option>
            ))}
            <option value="other">Another chain (with an addresses file)</option>
          </select>
        </label>
        {other && field('name', 'Name')}
        {field('rpcUrl', 'Chain RPC URL')}
        {field('bundlerUrl', 'Bundler URL')}
        {other && field('addressesUrl', 'Addresses file URL (optional)')}
        <Button type="submit" variant="primary">
          Add network
        </Button>
        {message && (
          <Notice tone={message.ok ? 'ok' : 'danger'} role="status">
            {message.text}
          </Notice>
        )}
      </form>
    </section>
  );
}
