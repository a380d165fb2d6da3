import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RiskInputError } from './errors.js';
import { parseCsv } from './parse-csv.js';

function csvError(text: string): RiskInputError {
  try {
    parseCsv(text, 'f.csv');
  } catch (error) {
    if (error instanceof RiskInputError) return error;
    throw error;
  }
  throw new Error('expected a RiskInputError');
}

describe('parseCsv', () => {
  it('reads plain and quoted fields, as RFC 4180 writes them', () => {
    expect(parseCsv('a,b,c\n1,"x, y","say ""hi"""\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
    ]);
  });

  it('keeps line breaks inside quotes and accepts CRLF, a BOM, empty fields and a last line without newline', () => {
    expect(parseCsv('\uFEFFa,b\r\n"two\r\nlines",\r\n,\r\nlast,"x"')).toEqual([
      ['a', 'b'],
      ['two\r\nlines', ''],
      ['', ''],
      ['last', 'x'],
    ]);
  });

  it('skips blank lines', () => {
    expect(parseCsv('a\n\n1\n\n')).toEqual([['a'], ['1']]);
  });

  it('names the line of a quoted field that is never closed', () => {
    const e = csvError('a,b\n1,2\n3,"open\nstill open\n');
    expect(e.code).toBe('RISK_CSV_MALFORMED');
    expect(e.message).toBe('f.csv:3: a quoted field is never closed');
  });

  it('refuses a quote inside an unquoted field and text after a closing quote, naming the line', () => {
    expect(csvError('a\nab"c\n').message).toMatch(/^f\.csv:2: a quote inside an unquoted field/);
    expect(csvError('a\n"x\ny"z\n').message).toMatch(/^f\.csv:3: unexpected text after a closing quote/);
  });

  it('reads back any table written with RFC 4180 quoting', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\n', '\r', ' ', '1') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }), fc.boolean(), (rows, crlf) => {
        const quote = (s: string): string => (s === '' || /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
        const text = rows.map((r) => r.map(quote).join(',')).join(crlf ? '\r\n' : '\n');
        expect(parseCsv(text)).toEqual(rows);
      }),
    );
  });
});
