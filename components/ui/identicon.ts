// An address's picture: the "blockies" people know from Etherscan and MetaMask's early versions
// (an 8×8 mirrored grid in three colours, all drawn from the address by the same xorshift as the
// original ethereum-blockies), so the same address always looks the same and two addresses that
// share a prefix and suffix look different. Pure: no DOM, no randomness.

export type Blockie = { color: string; background: string; spot: string; cells: number[][] };

export function blockie(address: string, size = 8): Blockie {
  const seed = [0, 0, 0, 0];
  const text = address.toLowerCase();
  for (let i = 0; i < text.length; i++) seed[i % 4] = ((seed[i % 4]! << 5) - seed[i % 4]! + text.charCodeAt(i)) | 0;
  const rand = () => {
    const t = seed[0]! ^ (seed[0]! << 11);
    seed[0] = seed[1]!;
    seed[1] = seed[2]!;
    seed[2] = seed[3]!;
    seed[3] = seed[3]! ^ (seed[3]! >> 19) ^ t ^ (t >> 8);
    return (seed[3]! >>> 0) / ((1 << 31) >>> 0);
  };
  const colour = () => {
    const h = Math.floor(rand() * 360);
    const s = rand() * 60 + 40;
    const l = (rand() + rand() + rand() + rand()) * 25;
    return `hsl(${h} ${s.toFixed(1)}% ${l.toFixed(1)}%)`;
  };
  const color = colour();
  const background = colour();
  const spot = colour();
  const half = Math.ceil(size / 2);
  const cells = Array.from({ length: size }, () => {
    const row = Array.from({ length: half }, () => Math.floor(rand() * 2.3));
    return [...row, ...row.slice(0, size - half).reverse()];
  });
  return { color, background, spot, cells };
}
