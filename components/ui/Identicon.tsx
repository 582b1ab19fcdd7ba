import { useMemo } from 'react';
import { blockie } from './identicon';

/** The address's blockie as a small round SVG; decorative (the address is written beside it). */
export function Identicon({ address, size = 32 }: { address: string; size?: number }) {
  const b = useMemo(() => blockie(address), [address]);
  return (
    <svg aria-hidden="true" data-testid="identicon" width={size} height={size} viewBox="0 0 8 8" shapeRendering="crispEdges" className="shrink-0 rounded-full">
      <rect width="8" height="8" fill={b.background} />
      {b.cells.flatMap((row, y) =>
        row.map((v, x) => (v ? <rect key={`${x}-${y}`} x={x} y={y} width="1" height="1" fill={v === 1 ? b.color : b.spot} /> : null)),
      )}
    </svg>
  );
}
