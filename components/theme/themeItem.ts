// The theme choice in the extension's storage (WXT's storage item, versioned like the
// background's): the popup writes it, and the popup and the approval window follow it.
import { storage } from 'wxt/utils/storage';
import { parseThemeChoice, type ThemeChoice, type ThemeSetting } from './theme';

const item = storage.defineItem<ThemeChoice>('local:theme', { fallback: 'system', version: 1 });

export const themeSetting: ThemeSetting = {
  get: async () => parseThemeChoice(await item.getValue()),
  set: (choice) => item.setValue(choice),
  watch: (onChange) => item.watch((v) => onChange(parseThemeChoice(v))),
};
