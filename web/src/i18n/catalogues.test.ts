/** Every catalogue has every key of the English one and no others, and no message is empty. */
import { describe, expect, it } from 'vitest';
import { da } from './da.js';
import { en } from './en.js';
import { preferredLanguage } from './index.js';
import { sv } from './sv.js';

function leaves(obj: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v as object, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  const reference = leaves(en);
  for (const [name, catalogue] of [['da', da], ['sv', sv]] as const) {
    it(`${name} has exactly the English keys, each non-empty with the same placeholders`, () => {
      const mine = leaves(catalogue);
      expect([...mine.keys()].sort()).toEqual([...reference.keys()].sort());
      for (const [key, text] of mine) {
        expect(text.trim(), key).not.toBe('');
        expect(placeholders(text), key).toEqual(placeholders(reference.get(key)!));
      }
    });
    it(`${name} is translated, not copied: most messages differ from English`, () => {
      const mine = leaves(catalogue);
      const same = [...mine].filter(([k, v]) => reference.get(k) === v).length;
      expect(same / mine.size).toBeLessThan(0.2);
    });
  }

  it('picks the browser language we have, Norwegian as Danish, else English', () => {
    expect(preferredLanguage(['sv-SE', 'en'])).toBe('sv');
    expect(preferredLanguage(['de-DE', 'da'])).toBe('da');
    expect(preferredLanguage(['nb-NO'])).toBe('da');
    expect(preferredLanguage(['fr-FR'])).toBe('en');
    expect(preferredLanguage([])).toBe('en');
  });
});
