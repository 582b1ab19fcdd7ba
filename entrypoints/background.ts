// The service worker: the only place that holds key material (the decrypted secret in memory, the
// vault encrypted in storage). Page requests arrive through the content relay and are answered by
// lib/background; wallet and approval messages are accepted only from the extension's own pages.
import { createBackground } from '@/lib/background';
import { blockedSince, listKeys } from '@/lib/background/keys';
import { alertsFor, keyOfBlocked, type BlockedAttempt } from '@/lib/background/alerts';
import { RELAY_TARGET_EVENT } from '@/lib/provider/messages';
import { toWireError, unauthorized } from '@/lib/protocol/errors';
import { storage } from 'wxt/utils/storage';

const DEVNET_CONFIG_URL = import.meta.env.WXT_FUNCTOR_DEVNET_URL || 'http://127.0.0.1:8549/devnet.json';

// The worker's own entries are WXT items (version 1, the layout lib/background/store.ts mirrors);
// lib/background's entries go through the injected store below, versioned by store.ts.
/** Approval windows by browser window id (the session only: windows die with the browser). */
const approvalWindowsItem = storage.defineItem<Record<string, string>>('session:approvalWindows', { fallback: {}, version: 1 });
/** The block after the last blocked attempt notified (decimal): a cursor, rebuilt when unreadable. */
const blockedFromItem = storage.defineItem<string>('local:blockedFrom', { version: 1 });
/** The alerts already told (alerts.ts ids: each names its window), newest last, at most 500. */
const alertsToldItem = storage.defineItem<string[]>('local:alertsTold', { fallback: [], version: 1 });
/** Alerts told since the popup last showed the keys: the badge shows "!" for them. */
const alertsUnreadItem = storage.defineItem<number>('session:alertsUnread', { fallback: 0, version: 1 });
/** Whether the wallet is locked, as last seen: approval windows watch it (the lock itself is in memory). */
const walletLockedItem = storage.defineItem<boolean>('session:walletLocked', { version: 1 });

export default defineBackground(() => {
  const windows = {
    async get(): Promise<Record<string, string>> {
      const v = await approvalWindowsItem.getValue();
      return typeof v === 'object' && v !== null ? { ...v } : {};
    },
    async set(v: Record<string, string>) {
      await approvalWindowsItem.setValue(v);
    },
  };

  const bg = createBackground({
    store: {
      get: async (key) => (await browser.storage.local.get(key))[key],
      set: (key, value) => browser.storage.local.set({ [key]: value }),
      // One storage.local.set is atomic: a value and its version (`key$`) land together.
      setMany: (entries) => browser.storage.local.set(entries),
    },
    devnetConfigUrl: DEVNET_CONFIG_URL,
    openApproval: async (id) => {
      const w = await browser.windows.create({
        url: browser.runtime.getURL(`/approval.html?id=${encodeURIComponent(id)}`),
        type: 'popup',
        width: 440,
        height: 720,
      });
      if (w?.id !== undefined) await windows.set({ ...(await windows.get()), [String(w.id)]: id });
      await updateBadge();
    },
    emit: (origin, event, data) => {
      void browser.tabs.query({}).then((tabs) => {
        for (const tab of tabs) {
          if (tab.id === undefined || !tab.url) continue;
          let tabOrigin: string;
          try {
            tabOrigin = new URL(tab.url).origin;
          } catch {
            continue;
          }
          if (origin !== '*' && tabOrigin !== origin) continue;
          browser.tabs.sendMessage(tab.id, { target: RELAY_TARGET_EVENT, event, data }).catch(() => undefined);
        }
      });
    },
  });

  let lockedSeen: boolean | undefined;
  /** Writes the lock's state when it changed (an unlock or a lock from any page, the idle lock). */
  async function noteLock() {
    const locked = !(await bg.ctx.isUnlocked());
    if (locked === lockedSeen) return;
    lockedSeen = locked;
    await walletLockedItem.setValue(locked);
  }

  /** Requests waiting, by number; else "!" while alerts are unread. */
  async function updateBadge() {
    const open = (await bg.ctx.approvals.list()).filter((a) => a.state === 'open').length;
    const unread = (await alertsUnreadItem.getValue()) ?? 0;
    await browser.action.setBadgeText({ text: open ? String(open) : unread > 0 ? '!' : '' });
  }

  /**
   * Tells of keys near a limit or an expiry, and of the blocked attempts found since the last look
   * (alerts.ts), each once (told ids); a click opens the key. A blocked attempt no key can be told
   * of (its refusal names none, and its account has several) gets the general notification.
   */
  async function tellAlerts(blocked: readonly BlockedAttempt[] = []) {
    const told = new Set((await alertsToldItem.getValue()) ?? []);
    const { keys } = await listKeys(bg.ctx);
    const fresh = alertsFor(keys, Math.floor(Date.now() / 1000), told, blocked);
    for (const [i, a] of fresh.entries()) {
      await browser.notifications.create(`functor:key:${a.networkId}:${a.keyId}:${Date.now()}-${i}`, {
        type: 'basic',
        iconUrl: browser.runtime.getURL('/icon.png'),
        title: a.title,
        message: a.message,
      });
      told.add(a.id);
    }
    const unnamed = blocked.filter((b) => !keyOfBlocked(keys, b));
    if (unnamed.length) {
      await browser.notifications.create(`functor:blocked:${Date.now()}`, {
        type: 'basic',
        iconUrl: browser.runtime.getURL('/icon.png'),
        title: 'Functor blocked an agent',
        message: `${unnamed.length} attempt${unnamed.length === 1 ? ' was' : 's were'} refused by a policy. Open Functor to see why.`,
      });
    }
    if (!fresh.length && !unnamed.length) return;
    await alertsToldItem.setValue([...told].slice(-500));
    await alertsUnreadItem.setValue(((await alertsUnreadItem.getValue()) ?? 0) + fresh.length + unnamed.length);
    await updateBadge();
  }

  // A notification opens the popup on its key (an alert), or on the keys (a blocked attempt no key names).
  browser.notifications.onClicked.addListener(async (id) => {
    const m = /^functor:key:([^:]+):(\d+):/.exec(id);
    const hash = m ? `#key=${encodeURIComponent(`${m[1]}:${m[2]}`)}` : '';
    await browser.windows.create({ url: browser.runtime.getURL(`/popup.html${hash}`), type: 'popup', width: 460, height: 720 });
    await browser.notifications.clear(id);
  });

  // Closing an approval window without answering is a rejection (4001).
  browser.windows.onRemoved.addListener(async (windowId) => {
    const all = await windows.get();
    const id = all[String(windowId)];
    if (!id) return;
    delete all[String(windowId)];
    await windows.set(all);
    await bg.reject(id);
    await updateBadge();
  });

  // MV3 stops an idle worker after ~30 s, which would drop the unlocked secret; while unlocked, a
  // cheap extension call every 20 s keeps it alive. The vault's own idle timer still locks it.
  setInterval(() => {
    void bg.ctx.isUnlocked().then(async (unlocked) => {
      if (unlocked) await browser.runtime.getPlatformInfo();
    });
    void noteLock();
  }, 20_000);

  // A blocked attempt by one of the owner's keys that landed onchain, and keys near a limit or an
  // expiry: tell the user (once a minute at most, while unlocked; the popup has the details). The
  // cursor moves only once the attempts were told (a chain down: the same look at the next alarm).
  browser.alarms.create('functor:blocked', { periodInMinutes: 1 });
  browser.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name !== 'functor:blocked' || !(await bg.ctx.isUnlocked())) return;
    const stored = await blockedFromItem.getValue();
    const from = typeof stored === 'string' && /^\d+$/.test(stored) ? BigInt(stored) : undefined;
    try {
      const { blocked, next } = await blockedSince(bg.ctx, from);
      await tellAlerts(blocked);
      await blockedFromItem.setValue(next.toString());
    } catch {
      // The chain is down: try again at the next alarm (the limits and expiries of other chains still).
      await tellAlerts().catch(() => undefined);
    }
  });

  const ownPage = (url?: string) => !!url && url.startsWith(browser.runtime.getURL('/'));

  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (bg.isUiMessage(message)) {
      if (!ownPage(sender.url) || sender.tab?.url?.startsWith('http')) {
        sendResponse({ ok: false, error: 'Not allowed' });
        return false;
      }
      bg.handleUi(message).then(async (r) => {
        sendResponse(r);
        // The popup showed the keys: the alerts are read.
        if ((message as { type?: string }).type === 'ui:keys' && r.ok) await alertsUnreadItem.setValue(0);
        await updateBadge();
        await noteLock();
      });
      return true;
    }
    // Page requests come only from our content script in a tab; the origin is the browser's
    // word for it (sender.origin), never the message's.
    if (!sender.tab || ownPage(sender.url)) {
      sendResponse({ error: toWireError(unauthorized('Unknown origin')) });
      return false;
    }
    const origin = sender.origin ?? (sender.url ? new URL(sender.url).origin : undefined);
    const m = typeof message === 'object' && message !== null ? message : {};
    bg.handleDapp({ ...m, origin }).then(sendResponse);
    return true; // answer asynchronously
  });
});
