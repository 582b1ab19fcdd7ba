// @vitest-environment happy-dom
// The theme: "system" leaves the page to the operating system's setting (no attribute), a choice
// is applied at once and kept; every page following the setting changes when another one writes it.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, test } from 'vitest';
import { applyTheme, followTheme, parseThemeChoice, type ThemeChoice, type ThemeSetting } from './theme';
import { ThemeSwitch } from './ThemeSwitch';

afterEach(cleanup);

/** The stored setting, as WXT's storage item behaves: one value, every watcher told of a change. */
function memorySetting(initial: ThemeChoice = 'system'): ThemeSetting & { value: ThemeChoice } {
  const watchers = new Set<(c: ThemeChoice) => void>();
  const s = {
    value: initial,
    get: async () => s.value,
    set: async (c: ThemeChoice) => {
      s.value = c;
      for (const w of watchers) w(c);
    },
    watch: (w: (c: ThemeChoice) => void) => {
      watchers.add(w);
      return () => void watchers.delete(w);
    },
  };
  return s;
}

test('applyTheme: light and dark set data-theme, system removes it', () => {
  const root = document.createElement('html');
  applyTheme(root, 'dark');
  expect(root.getAttribute('data-theme')).toBe('dark');
  applyTheme(root, 'light');
  expect(root.getAttribute('data-theme')).toBe('light');
  applyTheme(root, 'system');
  expect(root.hasAttribute('data-theme')).toBe(false);
});

test('a stored value that is not a choice reads as system', () => {
  expect(parseThemeChoice('dark')).toBe('dark');
  expect(parseThemeChoice('purple')).toBe('system');
  expect(parseThemeChoice(undefined)).toBe('system');
});

test('followTheme applies the stored choice, then every change, until stopped', async () => {
  const setting = memorySetting('dark');
  const root = document.createElement('html');
  const stop = followTheme(setting, root);
  await Promise.resolve();
  expect(root.getAttribute('data-theme')).toBe('dark');
  await setting.set('light');
  expect(root.getAttribute('data-theme')).toBe('light');
  stop();
  await setting.set('dark');
  expect(root.getAttribute('data-theme')).toBe('light');
});

test('the switch shows the stored choice, and a click stores the new one', async () => {
  const setting = memorySetting('light');
  render(<ThemeSwitch setting={setting} />);
  const group = await screen.findByRole('radiogroup', { name: 'Theme' });
  await act(async () => {});
  expect(screen.getByRole('radio', { name: 'Light' }).getAttribute('aria-checked')).toBe('true');
  await act(async () => void fireEvent.click(screen.getByRole('radio', { name: 'Dark' })));
  expect(setting.value).toBe('dark');
  expect(screen.getByRole('radio', { name: 'Dark' }).getAttribute('aria-checked')).toBe('true');
  expect(screen.getByRole('radio', { name: 'Light' }).getAttribute('aria-checked')).toBe('false');
  // Written from elsewhere (the popup open twice): the switch follows.
  await act(async () => void (await setting.set('system')));
  expect(screen.getByRole('radio', { name: 'System' }).getAttribute('aria-checked')).toBe('true');
  expect(group).toBeTruthy();
});
