/**
 * SQL literals for ClickHouse. ClickHouse 18.16 has no query parameters, so every value that
 * reaches a query text goes through one of these: strings are escaped the way ClickHouse's
 * lexer reads them, identifiers come only from the catalog and must match a strict pattern,
 * and dates, integers and hex strings are validated before they are written out.
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const UINT64 = /^(0|[1-9][0-9]{0,19})$/;
const HEX = /^[0-9a-f]+$/;
const MAX_UINT64 = 2n ** 64n - 1n;

/** Thrown when a value cannot be written into SQL safely; it names what was wrong, never echoes much of it. */
export class SqlLiteralError extends RangeError {
  /** @param message what was wrong */
  constructor(message: string) {
    super(message);
    this.name = 'SqlLiteralError';
  }
}

function preview(value: string): string {
  return JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}…` : value);
}

/**
 * A single-quoted ClickHouse string literal. Backslash and quote are escaped, and every control
 * character is written as `\xHH`, so that the text between the quotes is one token whatever it holds.
 * @example stringLiteral("it's") === "'it\\'s'"
 */
export function stringLiteral(value: string): string {
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

/** A backquoted identifier; only `[A-Za-z_][A-Za-z0-9_]*` names are accepted (they come from the catalog, mapped). */
export function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new SqlLiteralError(`not a safe identifier: ${preview(name)}`);
  return `\`${name}\``;
}

/** `database`.`table`, both checked by {@link identifier}. */
export function qualifiedName(database: string, table: string): string {
  return `${identifier(database)}.${identifier(table)}`;
}

/** Whether a string is a real calendar day `YYYY-MM-DD` (ClickHouse's Date starts in 1970). */
export function isDay(value: string): boolean {
  const m = DAY.exec(value);
  if (m === null) return false;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
  return ms >= 0 && new Date(ms).toISOString().slice(0, 10) === value;
}

/** A Date literal, `toDate('YYYY-MM-DD')`; throws on anything but a real day. */
export function dateLiteral(day: string): string {
  if (!isDay(day)) throw new SqlLiteralError(`not a day: ${preview(day)}`);
  return `toDate('${day}')`;
}

/** An unsigned 64-bit integer literal from a bigint or a decimal string. */
export function uint64Literal(value: bigint | string): string {
  const text = typeof value === 'bigint' ? value.toString() : value;
  if (!UINT64.test(text) || BigInt(text) > MAX_UINT64) throw new SqlLiteralError(`not an unsigned 64-bit integer: ${preview(text)}`);
  return text;
}

/** A finite number literal (epsilon, limits); NaN and infinities are refused. */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new SqlLiteralError(`not a finite number: ${String(value)}`);
  // toFloat64 keeps the literal's type fixed whatever its spelling (1 would be a UInt8).
  return `toFloat64(${JSON.stringify(value)})`;
}

/** A quoted lower-case hex string (pseudonym, batch key); throws on anything else. */
export function hexLiteral(value: string): string {
  if (!HEX.test(value) || value.length > 256) throw new SqlLiteralError(`not a lower-case hex string: ${preview(value)}`);
  return `'${value}'`;
}

/** A parenthesised, comma-separated list for `IN`; an empty list becomes a list that matches nothing. */
export function inList(literals: readonly string[], empty = "''"): string {
  return `(${literals.length === 0 ? empty : literals.join(', ')})`;
}
