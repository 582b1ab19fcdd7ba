import type { AccountChoice } from '@/lib/protocol/views';
import { Identicon } from '@/components/ui/Identicon';

/** Checkboxes for the accounts to grant on (or connect); one keyId is enabled on all chosen. */
export function AccountPicker(props: { accounts: AccountChoice[]; chosen: string[]; onChange: (chosen: string[]) => void; legend: string }) {
  return (
    <fieldset className="space-y-1 rounded-card border border-line p-2">
      <legend className="px-1 font-medium">{props.legend}</legend>
      {props.accounts.map((a) => {
        const blocked = !!a.otherHook;
        return (
          <label key={a.address} className={`flex items-start gap-2 rounded-control p-1.5 ${blocked ? '' : 'hover:bg-surface'}`}>
            <input
              type="checkbox"
              className="mt-1"
              disabled={blocked}
              checked={props.chosen.includes(a.address)}
              onChange={(e) => props.onChange(e.target.checked ? [...props.chosen, a.address] : props.chosen.filter((c) => c !== a.address))}
            />
            <Identicon address={a.address} size={20} />
            <span className="min-w-0">
              {a.name} <span className="font-mono text-xs break-all text-muted">{a.address}</span>
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
