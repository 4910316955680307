// Symbolic integer values for flag words: which bits are surely set, which may be set,
// and which are set only when the running ABI passes a test (`abi >= 8 ? TSYNC : 0`).
// Every operation is total: what cannot be known becomes "maybe", never an exception.

const WIDTH = 64;
const ALL = (1n << BigInt(WIDTH)) - 1n;

export interface AbiBits {
  /** The bits are present exactly when the ABI is at least `abi`. */
  abi: number;
  bits: bigint;
}

export interface Sym {
  /** Bits surely set. */
  yes: bigint;
  /** Bits possibly set (disjoint from `yes`). */
  maybe: bigint;
  /** Nothing is known beyond `yes` (every other bit may be set). */
  unknown: boolean;
  abiBits?: AbiBits;
}

export function exact(v: bigint): Sym {
  return { yes: BigInt.asUintN(WIDTH, v), maybe: 0n, unknown: false };
}

export const UNKNOWN: Sym = Object.freeze({ yes: 0n, maybe: ALL, unknown: true }) as Sym;

export function isExact(s: Sym): boolean {
  return !s.unknown && s.maybe === 0n;
}

/** The exact value, when there is one. */
export function valueOf(s: Sym): bigint | undefined {
  return isExact(s) ? s.yes : undefined;
}

export function or(a: Sym, b: Sym): Sym {
  const yes = a.yes | b.yes;
  const maybe = (a.maybe | b.maybe) & ~yes;
  const out: Sym = { yes, maybe, unknown: a.unknown || b.unknown };
  const abiBits = mergeAbiBits(a.abiBits, b.abiBits);
  if (abiBits) out.abiBits = abiBits;
  return out;
}

function mergeAbiBits(a: AbiBits | undefined, b: AbiBits | undefined): AbiBits | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.abi === b.abi) return { abi: a.abi, bits: a.bits | b.bits };
  return a.abi > b.abi ? a : b;
}

export function and(a: Sym, b: Sym): Sym {
  const aAll = a.yes | a.maybe;
  const bAll = b.yes | b.maybe;
  const yes = a.yes & b.yes;
  const out: Sym = { yes, maybe: aAll & bAll & ~yes, unknown: a.unknown && b.unknown };
  if (a.abiBits) {
    const bits = a.abiBits.bits & bAll;
    if (bits) out.abiBits = { abi: a.abiBits.abi, bits };
  } else if (b.abiBits) {
    const bits = b.abiBits.bits & aAll;
    if (bits) out.abiBits = { abi: b.abiBits.abi, bits };
  }
  return out;
}

/** `a & ~mask` with an exact mask: clears bits. */
export function clear(a: Sym, mask: bigint): Sym {
  const out: Sym = { yes: a.yes & ~mask, maybe: a.maybe & ~mask, unknown: a.unknown };
  if (a.abiBits) {
    const bits = a.abiBits.bits & ~mask;
    if (bits) out.abiBits = { abi: a.abiBits.abi, bits };
  }
  return out;
}

/** Either value may result (two arms of an `if`, an unknown condition). */
export function join(a: Sym, b: Sym): Sym {
  const yes = a.yes & b.yes;
  const out: Sym = {
    yes,
    maybe: (a.yes | a.maybe | b.yes | b.maybe) & ~yes,
    unknown: a.unknown || b.unknown,
  };
  const abiBits = mergeAbiBits(a.abiBits, b.abiBits);
  if (abiBits) out.abiBits = abiBits;
  return out;
}

/**
 * `whenAtLeast` if the running ABI is at least `abi`, `otherwise` if not: the bits only
 * the first has become ABI-conditional.
 */
export function selectByAbi(abi: number, whenAtLeast: Sym, otherwise: Sym): Sym {
  const out = join(whenAtLeast, otherwise);
  const gained = whenAtLeast.yes & ~(otherwise.yes | otherwise.maybe);
  if (gained) out.abiBits = { abi, bits: gained | (out.abiBits?.abi === abi ? out.abiBits.bits : 0n) };
  return out;
}

export function equalSyms(a: Sym, b: Sym): boolean {
  return (
    a.yes === b.yes &&
    a.maybe === b.maybe &&
    a.unknown === b.unknown &&
    a.abiBits?.abi === b.abiBits?.abi &&
    a.abiBits?.bits === b.abiBits?.bits
  );
}

/** Exact arithmetic for the remaining operators; anything inexact gives UNKNOWN. */
export function arithmetic(op: string, a: Sym, b: Sym): Sym {
  const x = valueOf(a);
  const y = valueOf(b);
  if (x === undefined || y === undefined) {
    if (op === "^" || op === "+") return or({ ...a, maybe: a.maybe | a.yes, yes: 0n }, { ...b, maybe: b.maybe | b.yes, yes: 0n });
    return UNKNOWN;
  }
  const sx = BigInt.asIntN(WIDTH, x);
  const sy = BigInt.asIntN(WIDTH, y);
  switch (op) {
    case "^":
      return exact(x ^ y);
    case "+":
      return exact(x + y);
    case "-":
      return exact(x - y);
    case "*":
      return exact(x * y);
    case "/":
      return y === 0n ? UNKNOWN : exact(sx / sy);
    case "%":
      return y === 0n ? UNKNOWN : exact(sx % sy);
    case "<<":
      return y < 0n || y >= BigInt(WIDTH) ? UNKNOWN : exact(x << y);
    case ">>":
      return y < 0n || y >= BigInt(WIDTH) ? UNKNOWN : exact(x >> y);
    case "==":
      return exact(x === y ? 1n : 0n);
    case "!=":
      return exact(x !== y ? 1n : 0n);
    case "<":
      return exact(sx < sy ? 1n : 0n);
    case ">":
      return exact(sx > sy ? 1n : 0n);
    case "<=":
      return exact(sx <= sy ? 1n : 0n);
    case ">=":
      return exact(sx >= sy ? 1n : 0n);
    case "&&":
      return exact(x !== 0n && y !== 0n ? 1n : 0n);
    case "||":
      return exact(x !== 0n || y !== 0n ? 1n : 0n);
    default:
      return UNKNOWN;
  }
}

export function unary(op: string, a: Sym): Sym {
  const x = valueOf(a);
  if (op === "+") return a;
  if (x === undefined) return UNKNOWN;
  switch (op) {
    case "-":
      return exact(-x);
    case "~":
      return exact(~x);
    case "!":
      return exact(x === 0n ? 1n : 0n);
    default:
      return UNKNOWN;
  }
}

/** Signed view of an exact value (for `kill(-1, ...)`, `fd == -1`). */
export function signed(v: bigint): bigint {
  return BigInt.asIntN(WIDTH, v);
}
