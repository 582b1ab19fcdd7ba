// The session key the permission is for (`to`): pasted from `functor-agent new-key`, or made here.
// A key made in the page is a demo convenience: a real agent makes its key where it runs.
import { useState } from 'react';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { BUTTON_SECONDARY, INPUT, copy } from './ui';

export function SessionKey({ value, onChange }: { value: string; onChange: (address: string) => void }) {
  const [privateKey, setPrivateKey] = useState<string>();
  const [copied, setCopied] = useState<string>();
  return (
    <fieldset className="rounded border border-slate-200 p-3">
      <legend className="px-1 font-semibold">Agent session key</legend>
      <label className="block text-sm">
        Session key address
        <input
          className={INPUT}
          value={value}
          onChange={(e) => onChange(e.target.value.trim())}
          placeholder="0x… from `npx functor-agent new-key`"
          spellCheck={false}
        />
      </label>
      <button
        type="button"
        className={`${BUTTON_SECONDARY} mt-2`}
        onClick={() => {
          const key = generatePrivateKey();
          setPrivateKey(key);
          setCopied(undefined);
          onChange(privateKeyToAccount(key).address);
        }}
      >
        Generate agent key
      </button>
      {privateKey && (
        <div className="mt-2 rounded border border-amber-400 bg-amber-50 p-2 text-sm">
          <label className="block">
            Agent private key (demo only: save it as the agent's key file, e.g. agent.key)
            <textarea className={INPUT} readOnly rows={2} value={privateKey} />
          </label>
          <button type="button" className={`${BUTTON_SECONDARY} mt-1`} onClick={async () => setCopied(await copy(privateKey))}>
            Copy private key
          </button>
          {copied && (
            <span className="ml-2" role="status">
              {copied}
            </span>
          )}
        </div>
      )}
    </fieldset>
  );
}
