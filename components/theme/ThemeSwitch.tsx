import { useEffect, useState } from 'react';
import { IconMonitor, IconMoon, IconSun } from '@/components/ui/icons';
import type { ThemeChoice, ThemeSetting } from './theme';

const LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };
const ICONS = { system: IconMonitor, light: IconSun, dark: IconMoon };

/** System, light or dark: kept in `setting`, which every page of the extension follows. */
export function ThemeSwitch({ setting }: { setting: ThemeSetting }) {
  const [choice, setChoice] = useState<ThemeChoice>('system');
  useEffect(() => {
    void setting.get().then(setChoice);
    return setting.watch(setChoice);
  }, [setting]);
  return (
    <div role="radiogroup" aria-label="Theme" className="inline-flex rounded-control border border-line p-0.5">
      {(Object.keys(LABELS) as ThemeChoice[]).map((c) => {
        const Icon = ICONS[c];
        return (
          <button
            key={c}
            type="button"
            role="radio"
            aria-checked={choice === c}
            title={`${LABELS[c]} theme`}
            className={`inline-flex items-center gap-1 rounded-[0.375rem] px-2 py-0.5 text-xs ${choice === c ? 'bg-primary text-on-primary' : 'text-muted hover:text-fg'}`}
            onClick={() => {
              setChoice(c);
              void setting.set(c);
            }}
          >
            <Icon aria-hidden="true" size={12} />
            {LABELS[c]}
          </button>
        );
      })}
    </div>
  );
}
