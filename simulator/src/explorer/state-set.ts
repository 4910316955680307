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
  /** Slot value is state index + 1; 0 marks an empty slot. */
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
    this.table = new Uint32Array(cap * 2);
    this.mask = cap * 2 - 1;
  }

  /** Approximate bytes held by the set (store + table). */
  get bytes(): number {
    return this.store.byteLength + this.table.byteLength;
  }

  /** Index of the state at src[off..off+words), inserting it if new (see `added`). */
  insert(src: Uint32Array, off: number): number {
    const w = this.words;
    const store = this.store;
    let slot = hashWords(src, off, w) & this.mask;
    const table = this.table;
    for (;;) {
      const v = table[slot]!;
      if (v === EMPTY) break;
      const base = (v - 1) * w;
      let same = true;
      for (let i = 0; i < w; i++) {
        if (store[base + i] !== src[off + i]) {
          same = false;
          break;
        }
      }
      if (same) {
        this.added = false;
        return v - 1;
      }
      slot = (slot + 1) & this.mask;
    }
    const index = this.size;
    if ((index + 1) * w > store.length) {
      this.growStore();
    }
    this.store.set(src.subarray(off, off + w), index * w);
    table[slot] = index + 1;
    this.size = index + 1;
    this.added = true;
    // Keep the load factor at or below one half.
    if (this.size * 2 > this.mask) this.growTable();
    return index;
  }

  /** Index of the state, or -1 when absent. */
  find(src: Uint32Array, off: number): number {
    const w = this.words;
    const store = this.store;
    let slot = hashWords(src, off, w) & this.mask;
    for (;;) {
      const v = this.table[slot]!;
      if (v === EMPTY) return -1;
      const base = (v - 1) * w;
      let same = true;
      for (let i = 0; i < w; i++) {
        if (store[base + i] !== src[off + i]) {
          same = false;
          break;
        }
      }
      if (same) return v - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  private growStore(): void {
    const next = new Uint32Array(this.store.length * 2);
    next.set(this.store);
    this.store = next;
  }

  private growTable(): void {
    const cap = (this.mask + 1) * 2;
    const table = new Uint32Array(cap);
    const mask = cap - 1;
    const w = this.words;
    for (let i = 0; i < this.size; i++) {
      let slot = hashWords(this.store, i * w, w) & mask;
      while (table[slot] !== EMPTY) slot = (slot + 1) & mask;
      table[slot] = i + 1;
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
