// Domain IDs: 64-bit values written as 16 hex digits, as audit logs print them. The
// kernel hands them out from a counter with a random start; the simulator starts from a
// fixed value so that every run of a scenario names its domains the same way.

const FIRST_DOMAIN_ID = 0x1c8e4a2d00000000n;

/** ID of the n-th domain created in a run (n >= 1). */
export function domainIdFor(n: number): string {
  return (FIRST_DOMAIN_ID + BigInt(n)).toString(16).padStart(16, "0");
}

/** Short form for narrow columns: the last four hex digits, which differ between domains of one run. */
export function shortDomainId(id: string): string {
  return `…${id.slice(-4)}`;
}
