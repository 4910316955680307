// A small, stable, dependency-free string hash (128 bits as 32 hex digits) for fingerprints
// and cache keys; not for security. Works in Node and in the browser alike.

export function stableHash(text: string): string {
  // Four FNV-1a lanes with different offsets, mixed with murmur3's finaliser.
  const lanes = [0x811c9dc5, 0x050c5d1f, 0x9e3779b9, 0x7f4a7c15];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    for (let l = 0; l < 4; l++) lanes[l] = Math.imul(lanes[l]! ^ (c + l * 0x9e37), 0x01000193);
  }
  return lanes
    .map((h, l) => {
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b + l);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      return (h >>> 0).toString(16).padStart(8, "0");
    })
    .join("");
}
