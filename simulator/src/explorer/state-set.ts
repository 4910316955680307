// A set of fixed-width packed states: every state is `words` 32-bit words stored back to
// back in one growable Uint32Array, and an open-addressing table (linear probing) maps a
// state's hash to its index. Indices are dense and stable, so callers can keep per-state
// data (colour, parent, depth) in parallel typed arrays. No object is allocated per state.

const EMPTY = 0;

export class StateSet {
  readonly words: number;
  /** Packed states; state i occupies words [i*words, (i+1)*words). */
  store: Uint32Array;
  /** Number of states held. */
  size = 0;
  /**
   * Two words per slot: the state's hash, then its index + 1 (0 marks an empty slot).
   * Keeping the hash beside the index lets a probe skip other states without reading
   * the store, and lets the table grow without rehashing states.
   */
  private table: Uint32Array;
  private mask: number;
  /** Set by insert(): whether the last insert added a new state. */
  added = false;

  constructor(words: number, initialCapacity = 1 << 14) {
    if (!Number.isInteger(words) || words < 1) throw new RangeError(`state width must be a positive integer, got ${words}`);
    this.words = words;
    let cap = 1024;
    while (cap < initialCapacity) cap <<= 1;
    this.store = new Uint32Array(cap * words);
    this.table = new Uint32Array(cap * 4);
    this.mask = cap * 2 - 1;
  }

  /** Approximate bytes held by the set (store + table). */
  get bytes(): number {
    return this.store.byteLength + this.table.byteLength;
  }

  /** Index of the state at src[off..off+words), inserting it if new (see `added`). */
  insert(src: Uint32Array, off: number): number {
    const w = this.words;
    const h = hashWords(src, off, w);
    const table = this.table;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const v = table[2 * slot + 1]!;
      if (v === EMPTY) break;
      if (table[2 * slot] === h && this.equals(v - 1, src, off)) {
        this.added = false;
        return v - 1;
      }
      slot = (slot + 1) & mask;
    }
    const index = this.size;
    if ((index + 1) * w > this.store.length) this.growStore();
    this.store.set(src.subarray(off, off + w), index * w);
    table[2 * slot] = h;
    table[2 * slot + 1] = index + 1;
    this.size = index + 1;
    this.added = true;
    // Keep the load factor at or below one half.
    if (this.size * 2 > mask) this.growTable();
    return index;
  }

  /** Index of the state, or -1 when absent. */
  find(src: Uint32Array, off: number): number {
    const h = hashWords(src, off, this.words);
    let slot = h & this.mask;
    for (;;) {
      const v = this.table[2 * slot + 1]!;
      if (v === EMPTY) return -1;
      if (this.table[2 * slot] === h && this.equals(v - 1, src, off)) return v - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  private equals(index: number, src: Uint32Array, off: number): boolean {
    const w = this.words;
    const store = this.store;
    const base = index * w;
    for (let i = 0; i < w; i++) if (store[base + i] !== src[off + i]) return false;
    return true;
  }

  private growStore(): void {
    const next = new Uint32Array(this.store.length * 2);
    next.set(this.store);
    this.store = next;
  }

  private growTable(): void {
    const old = this.table;
    const cap = (this.mask + 1) * 2;
    const table = new Uint32Array(cap * 2);
    const mask = cap - 1;
    for (let s = 0; s < old.length; s += 2) {
      const v = old[s + 1]!;
      if (v === EMPTY) continue;
      const h = old[s]!;
      let slot = h & mask;
      while (table[2 * slot + 1] !== EMPTY) slot = (slot + 1) & mask;
      table[2 * slot] = h;
      table[2 * slot + 1] = v;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** MurmurHash3-style mixing of `n` words; good spread for the low bits used as a slot. */
export function hashWords(src: Uint32Array, off: number, n: number): number {
  let h = 0x9747b28c ^ n;
  for (let i = 0; i < n; i++) {
    let k = src[off + i]!;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
