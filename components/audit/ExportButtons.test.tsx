// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { blockedEntry, transferEntry } from '@/lib/audit/testing';
import { ExportButtons } from './ExportButtons';

let blobs: Blob[];
let clicked: { href: string; download: string }[];

beforeEach(() => {
  blobs = [];
  clicked = [];
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
    blobs.push(b as Blob);
    return `blob:test/${blobs.length}`;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ href: this.href, download: this.download });
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('ExportButtons', () => {
  const entries = [transferEntry(0), blockedEntry(1)];

  test('CSV: downloads the file lib/audit/export writes', async () => {
    render(<ExportButtons entries={entries} filename="key-7" />);
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(clicked).toEqual([{ href: 'blob:test/1', download: 'key-7.csv' }]);
    expect(blobs[0]!.type).toBe('text/csv');
    const text = await blobs[0]!.text();
    expect(text.split('\r\n')[0]).toMatch(/^kind,time,blockNumber,/);
    expect(text.split('\r\n')).toHaveLength(4);
  });

  test('JSON: the entries, bigints as strings', async () => {
    render(<ExportButtons entries={entries} />);
    fireEvent.click(screen.getByRole('button', { name: 'Export JSON' }));
    expect(clicked[0]!.download).toBe('functor-history.json');
    const back = JSON.parse(await blobs[0]!.text());
    expect(back.map((e: { kind: string }) => e.kind)).toEqual(['executed', 'blocked']);
    expect(back[0].spends[0].counted).toBe('640000000');
  });

  test('nothing to export: disabled', () => {
    render(<ExportButtons entries={[]} />);
    expect((screen.getByRole('button', { name: 'Export CSV' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
