import { describe, expect, it } from 'vitest';
import { scrubbedText } from './scrubbed-text.js';

describe('scrubbedText', () => {
  it('scrubs, then cuts to the declared length', () => {
    const g = scrubbedText({ maxLength: 20 });
    const scrubbed = g.apply('ENOENT /mnt/media/Film (2017).mkv');
    expect(scrubbed).toMatch(/^ENOENT /);
    expect(scrubbed).not.toMatch(/Film|mkv|mnt/);
    expect(g.apply('ok '.repeat(10))).toBe('ok '.repeat(7).slice(0, 20));
    expect(g.freeText).toBe(true);
  });

  it('never cuts a surrogate pair in half', () => {
    const g = scrubbedText({ maxLength: 4 });
    const out = g.apply('abc😀def');
    expect(out).toBe('abc');
    expect(g.accepts(out)).toBe(true);
  });

  it('rejects non-strings and raw text beyond the input limit', () => {
    const g = scrubbedText({ maxInputLength: 100 });
    expect(g.apply(42)).toMatchObject({ reason: 'wrong_type' });
    expect(g.apply('a'.repeat(101))).toMatchObject({ reason: 'too_long' });
    expect(scrubbedText().apply('a'.repeat(1_048_576))).toMatchObject({ reason: 'too_long' });
  });

  it('names a useless maximum length', () => {
    expect(scrubbedText({ maxLength: 0 }).problems).toEqual([expect.stringContaining('maxLength must be positive')]);
  });
});
