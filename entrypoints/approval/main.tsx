import React from 'react';
import ReactDOM from 'react-dom/client';
import { ApprovalApp, type WatchChanges } from '@/components/approval/ApprovalApp';
import { createCall } from '@/components/client';
import { followTheme } from '@/components/theme/theme';
import { themeSetting } from '@/components/theme/themeItem';
import '../popup/style.css';

const id = new URLSearchParams(location.search).get('id') ?? '';
const send = createCall((m) => browser.runtime.sendMessage(m));

// What the window shows lives in the background's storage (the approval and its progress,
// networks, accounts, grants: storage.local) or follows the lock (session:walletLocked, written
// by the worker when it changes); the chain's side (balances, modules) may change while the user
// is in another window, so coming back reads it again too.
const watch: WatchChanges = (onChange) => {
  const onStorage = (_: unknown, area: string) => {
    if (area === 'local' || area === 'session') onChange();
  };
  browser.storage.onChanged.addListener(onStorage);
  window.addEventListener('focus', onChange);
  return () => {
    browser.storage.onChanged.removeListener(onStorage);
    window.removeEventListener('focus', onChange);
  };
};

followTheme(themeSetting);
ReactDOM.createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <ApprovalApp id={id} send={send} close={() => window.close()} watch={watch} />
  </React.StrictMode>,
);
