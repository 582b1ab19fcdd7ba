// The theme the user picked in the popup ("system" follows the operating system's setting), and
// how a page applies it: <html data-theme="light|dark">, or no attribute for the system's (the
// stylesheet's color-scheme does the rest). Where the choice is kept is injected (themeItem.ts in
// the extension, a plain object in tests), like `send`.

export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

export type ThemeSetting = {
  get(): Promise<ThemeChoice>;
  set(choice: ThemeChoice): Promise<void>;
  /** Calls back on every change (from this page or another one); returns how to stop. */
  watch(onChange: (choice: ThemeChoice) => void): () => void;
};

/** A stored value read back: anything but a known choice (an older or foreign value) is "system". */
export const parseThemeChoice = (v: unknown): ThemeChoice => (THEME_CHOICES.includes(v as ThemeChoice) ? (v as ThemeChoice) : 'system');

export function applyTheme(root: HTMLElement, choice: ThemeChoice) {
  if (choice === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', choice);
}

/** Applies the stored choice to `root` now and on every change; returns how to stop. */
export function followTheme(setting: ThemeSetting, root: HTMLElement = document.documentElement): () => void {
  let stopped = false;
  void setting.get().then((c) => !stopped && applyTheme(root, c));
  const unwatch = setting.watch((c) => applyTheme(root, c));
  return () => {
    stopped = true;
    unwatch();
  };
}
