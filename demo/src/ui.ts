export const BUTTON = 'rounded bg-indigo-600 px-3 py-1.5 text-white hover:bg-indigo-700 disabled:opacity-50';
export const BUTTON_SECONDARY = 'rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100 disabled:opacity-50';
export const CARD = 'rounded-lg border border-slate-200 bg-white p-4';
export const INPUT = 'mt-1 block w-full rounded border border-slate-300 px-2 py-1 font-mono text-sm';

/** Copies text; headless browsers may refuse the clipboard, so say so instead of failing silently. */
export async function copy(text: string): Promise<string> {
  try {
    await navigator.clipboard.writeText(text);
    return 'Copied';
  } catch {
    return 'The browser refused the clipboard: select the text and copy it';
  }
}
