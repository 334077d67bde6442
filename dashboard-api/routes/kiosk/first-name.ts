/**
 * What a shared screen may call a resident: the first name only. Registry names are "Surname,
 * First names" (as the worklist sorts them) or "First Surname"; either way, one given name.
 */
export function firstNameOf(displayName: string): string {
  const name = displayName.trim();
  const comma = name.indexOf(',');
  const given = comma >= 0 ? name.slice(comma + 1).trim() : name;
  return given.split(/\s+/)[0] ?? '';
}
