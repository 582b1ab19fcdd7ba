import { timeForPeople } from '@/lib/format/people';

/** A time as people read it ("in 3 days"), the date on hover; `now` in seconds (default: the clock). */
export function When({ at, now }: { at: number; now?: number }) {
  const t = timeForPeople(at, now ?? Math.floor(Date.now() / 1000));
  return (
    <time dateTime={new Date(at * 1000).toISOString()} title={t.full}>
      {t.short}
    </time>
  );
}
