/**
 * Enumerated and bit-field values as readable names that still say exactly what was on the wire:
 * a code the table does not know becomes `reserved:<code>` and an unknown bit `bit<n>`, so nothing is
 * lost and firmware-sim's encoders can turn every decoded value back into the same bytes.
 */

export type EnumTable = Readonly<Record<number, string>>;

/** The name of an enumerated code, or `reserved:<code>` when the specification assigns none. */
export function enumName(table: EnumTable, code: number): string {
  return table[code] ?? `reserved:${code}`;
}

/** The code of a name from `enumName`; throws for a name that is neither in the table nor `reserved:<n>`. */
export function enumCode(table: EnumTable, name: string): number {
  for (const [code, known] of Object.entries(table)) if (known === name) return Number(code);
  const reserved = /^reserved:(\d+)$/.exec(name);
  if (reserved) return Number(reserved[1]);
  throw new RangeError(`unknown enumerated value "${name}"`);
}

/** Names of the set bits, lowest bit first; bits the table leaves unnamed come out as `bit<n>`. */
export function flagNames(table: readonly (string | undefined)[], bits: number, width: number): string[] {
  const names: string[] = [];
  // Visit only the set bits (fields are at most 24 bits wide, so 32-bit integer operations suffice).
  let rest = width >= 32 ? bits >>> 0 : bits & ((1 << width) - 1);
  while (rest !== 0) {
    const bit = 31 - Math.clz32(rest & -rest);
    names.push(table[bit] ?? `bit${bit}`);
    rest &= rest - 1;
  }
  return names;
}

/** Inverse of `flagNames`. */
export function flagBits(table: readonly (string | undefined)[], names: readonly string[]): number {
  let bits = 0;
  for (const name of names) {
    const index = table.indexOf(name);
    const unnamed = /^bit(\d+)$/.exec(name);
    if (index >= 0) bits += 2 ** index;
    else if (unnamed) bits += 2 ** Number(unnamed[1]);
    else throw new RangeError(`unknown flag "${name}"`);
  }
  return bits;
}
