/**
 * Names to wire codes for firmware-sim's encoders, from tables each encoder writes from the
 * specification itself (never the gateway's tables: a wrong code on either side must then fail
 * against the literal vectors instead of encoding and decoding wrongly together). The reserved
 * spellings are the gateway's names for values its tables do not know, so a simulated device can
 * send them on purpose: `reserved:<n>` for a code, `bit<n>` for a flag.
 */
export type CodeTable = Readonly<Record<string, number>>;

/** The code of an enumerated value, or `n` for `reserved:<n>`. */
export function codeOf(field: string, table: CodeTable, name: string): number {
  if (Object.hasOwn(table, name)) return table[name]!;
  const reserved = /^reserved:(\d+)$/.exec(name);
  if (reserved) return Number(reserved[1]);
  throw new RangeError(`unknown ${field} "${name}"`);
}

/** The bit field with the named flags set (`table` gives each name its bit number). */
export function bitsOf(field: string, table: CodeTable, names: readonly string[]): number {
  let bits = 0;
  for (const name of names) {
    const bit = Object.hasOwn(table, name) ? table[name] : Number(/^bit(\d+)$/.exec(name)?.[1] ?? Number.NaN);
    if (bit === undefined || Number.isNaN(bit)) throw new RangeError(`unknown ${field} flag "${name}"`);
    bits |= 1 << bit;
  }
  return bits >>> 0;
}
