/** USD for people: cents, or four decimals for amounts under a cent so they never read as $0.00. */
export const usd = (n: number): string => `$${n.toFixed(n !== 0 && Math.abs(n) < 0.01 ? 4 : 2)}`;

/** Money is summed in integer micro-dollars so totals do not drift. */
export const sum = (xs: readonly number[]): number => Math.round(xs.reduce((a, x) => a + x * 1e6, 0)) / 1e6;
