import { describe, expect, it } from 'vitest';
import { CodeAttempts } from './code-attempts.js';
import { firstNameOf } from './first-name.js';

describe('kiosk helpers', () => {
  it.each([
    ['Ørsted, Åse', 'Åse'],
    ['Lindqvist, Karin Maria', 'Karin'],
    ['Karin Lindqvist', 'Karin'],
    ['  ', ''],
  ])('first name of %j is %j', (name, first) => expect(firstNameOf(name)).toBe(first));

  it('blocks a kiosk after 5 wrong codes in the window, and lets it try again after', () => {
    const a = new CodeAttempts({ maxFailures: 5, windowMs: 600_000 });
    for (let i = 0; i < 4; i++) a.fail(['link:1'], 1000 + i);
    expect(a.blockedFor(['link:1'], 2000)).toBe(0);
    a.fail(['link:1'], 1004);
    expect(a.blockedFor(['link:1', 'ip:x'], 2000)).toBe(600_000 - 1000);
    expect(a.blockedFor(['link:2'], 2000)).toBe(0);
    expect(a.blockedFor(['link:1'], 1000 + 600_000)).toBe(0);
  });
});
