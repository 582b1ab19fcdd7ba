/**
 * Grey blocks where content will be, while it loads; announced once as `label` (the blocks
 * themselves are hidden from screen readers).
 */
export function Skeleton({ label, lines = 3 }: { label: string; lines?: number }) {
  return (
    <div role="status" aria-label={label} aria-busy="true" className="space-y-2">
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} aria-hidden="true" className={`h-12 animate-pulse rounded-card bg-skeleton ${i % 2 ? 'w-5/6' : 'w-full'}`} />
      ))}
      <span className="sr-only">{label}</span>
    </div>
  );
}
