import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SqlLiteralError, dateLiteral, hexLiteral, identifier, inList, isDay, numberLiteral, qualifiedName, stringLiteral, uint64Literal } from './sql-literal.js';

/** Reads a literal back the way ClickHouse's lexer does (quotes, backslash escapes, \xHH). */
function unquote(literal: string): string {
  expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "'") throw new Error(`unescaped quote at ${i}`);
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next === 'x') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (next === '\\' || next === "'") out += next;
    else throw new Error(`unexpected escape \\${next}`);
  }
  return out;
}

describe('stringLiteral', () => {
  it('escapes quotes, backslashes and control characters so the text stays one token', () => {
    expect(stringLiteral("it's")).toBe("'it\\'s'");
    expect(stringLiteral('a\\b')).toBe("'a\\\\b'");
    expect(stringLiteral('line\nnext\u0000')).toBe("'line\\x0anext\\x00'");
    expect(stringLiteral("'); DROP TABLE x; --")).toBe("'\\'); DROP TABLE x; --'");
  });

  it('round-trips any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(unquote(stringLiteral(s))).toBe(s);
      }),
    );
  });
});

describe('identifier', () => {
  it('backquotes safe names and refuses everything else', () => {
    expect(identifier('f_deviceType')).toBe('`f_deviceType`');
    expect(qualifiedName('candor', 'ev_x')).toBe('`candor`.`ev_x`');
    for (const bad of ['', '1a', 'a-b', 'a`b', 'a b', 'a.b', 'é', 'a;b', 'x'.repeat(200)]) expect(() => identifier(bad)).toThrow(SqlLiteralError);
  });
});

describe('dateLiteral', () => {
  it('accepts real days only', () => {
    expect(dateLiteral('2026-02-28')).toBe("toDate('2026-02-28')");
    expect(isDay('2024-02-29')).toBe(true);
    for (const bad of ['2026-02-30', '2026-13-01', "2026-01-01') OR 1=1 --", '26-01-01', '1969-12-31', '']) expect(() => dateLiteral(bad)).toThrow(SqlLiteralError);
  });
});

describe('numbers and hex', () => {
  it('writes unsigned 64-bit integers and refuses anything else', () => {
    expect(uint64Literal(18446744073709551615n)).toBe('18446744073709551615');
    expect(uint64Literal('42')).toBe('42');
    for (const bad of ['18446744073709551616', '-1', '01', '1e3', '1 OR 1', '']) expect(() => uint64Literal(bad)).toThrow(SqlLiteralError);
  });

  it('writes finite numbers with a fixed type', () => {
    expect(numberLiteral(0.5)).toBe('toFloat64(0.5)');
    expect(numberLiteral(1e-300)).toBe('toFloat64(1e-300)');
    for (const bad of [NaN, Infinity, -Infinity]) expect(() => numberLiteral(bad)).toThrow(SqlLiteralError);
  });

  it('quotes lower-case hex only', () => {
    expect(hexLiteral('00ff')).toBe("'00ff'");
    for (const bad of ['00FF', "ab' OR '1", '', 'xyz']) expect(() => hexLiteral(bad)).toThrow(SqlLiteralError);
  });

  it('builds IN lists, with a placeholder for an empty one', () => {
    expect(inList(["'a'", "'b'"])).toBe("('a', 'b')");
    expect(inList([])).toBe("('')");
    expect(inList([], '0')).toBe('(0)');
  });
});
