// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { UnreadableBanner } from './UnreadableBanner';

afterEach(cleanup);

describe('UnreadableBanner', () => {
  test('says what could not be read and where it was kept, in one line', () => {
    render(
      <UnreadableBanner
        unreadable={[
          { key: 'grants', keptAs: 'grants.unreadable.1700000000000' },
          { key: 'approvals', keptAs: 'approvals.unreadable.1700000000001', items: 2 },
        ]}
      />,
    );
    expect(screen.getByRole('status', { name: 'Unreadable storage' }).textContent).toBe(
      'Functor could not read: grants (kept aside as grants.unreadable.1700000000000); 2 records of requests (kept aside as approvals.unreadable.1700000000001)',
    );
  });

  test('nothing when everything was read', () => {
    const { container } = render(<UnreadableBanner unreadable={[]} />);
    expect(container.textContent).toBe('');
    render(<UnreadableBanner />);
    expect(screen.queryByRole('status')).toBeNull();
  });
});
