import type { AccountChoice } from '@/lib/protocol/views';

/** Checkboxes for the accounts to grant on (or connect); one keyId is enabled on all chosen. */
export function AccountPicker(props: { accounts: AccountChoice[]; chosen: string[]; onChange: (chosen: string[]) => void; legend: string }) {
  return (
    <fieldset className="space-y-1 rounded border p-2">
      <legend className="px-1 font-medium">{props.legend}</legend>
      {props.accounts.map((a) => {
        const blocked = !!a.otherHook;
        return (
          <label key={a.address} className="flex items-start gap-2">
            <input
              type="checkbox"
              disabled={blocked}
              checked={props.chosen.includes(a.address)}
              onChange={(e) => props.onChange(e.target.checked ? [...props.chosen, a.address] : props.chosen.filter((c) => c !== a.address))}
            />
            <span>
              {a.name} <span className="font-mono text-xs">{a.address}</span>
              <span className="block text-xs text-muted">
                {!a.deployed
                  ? 'not deployed yet (deployed with this approval)'
                  : a.functor
                    ? 'Functor installed'
                    : 'Functor will be installed with this approval'}
                {blocked && ` · has another global hook (${a.otherHook}): cannot be used`}
                {a.balance === '0' && !a.deployed && ' · no ETH for gas: fund it before approving'}
                {a.balance === '0' && a.deployed && ' · no ETH for gas (fine only with a paymaster)'}
              </span>
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}
