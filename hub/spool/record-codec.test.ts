/** areSinglePointLines: the spool takes only lists of points that are one non-empty line each (record-codec.ts). */
import { describe, expect, it } from 'vitest';
import { areSinglePointLines } from './record-codec.js';

describe('areSinglePointLines', () => {
  it.each([
    ['the empty list', true, []],
    ['one line', true, ['m v=1 1']],
    ['several lines', true, ['m v=1 1', 'm,patient=p-1 v=2 2', 'spo2 spo2=97 3']],
    ['a line with a carriage return alone (no newline)', true, ['m v="a\rb" 1']],
    ['an empty line', false, ['']],
    ['an empty line among good ones', false, ['m v=1 1', '', 'm v=2 2']],
    ['an empty last line', false, ['m v=1 1', '']],
    ['a line containing \\n', false, ['m v=1 1\nm v=2 2']],
    ['a line containing \\r\\n', false, ['m v=1 1\r\nm v=2 2']],
    ['a line ending in \\n', false, ['m v=1 1', 'm v=2 2\n']],
    ['a line that is only \\n', false, ['m v=1 1', '\n']],
    ['two lines each with a newline', false, ['a\nb', 'c\nd']],
  ] as const)('%s -> %s', (_what, ok, lines) => {
    // As the spool calls it (the joined text given) and on its own (joined inside).
    expect(areSinglePointLines(lines, lines.join('\n'))).toBe(ok);
    expect(areSinglePointLines(lines)).toBe(ok);
  });
});
