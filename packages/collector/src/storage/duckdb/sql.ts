/** A quoted SQL identifier. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A quoted SQL string literal. */
export function str(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A SQL date literal; throws on anything that is not `YYYY-MM-DD`, so no text reaches SQL unchecked. */
export function dateLit(day: string): string {
  if (!DAY.test(day)) throw new RangeError(`not a day: ${day.slice(0, 20)}`);
  return `DATE '${day}'`;
}

const HEX = /^[0-9a-f]+$/;

/** A SQL list of lower-case hex strings (pseudonyms, batch keys); throws on anything else. */
export function hexList(values: readonly string[]): string {
  for (const v of values) if (!HEX.test(v)) throw new RangeError('not a lower-case hex string');
  return values.map((v) => `'${v}'`).join(', ');
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` day. */
export function epochDay(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
}

/** The 64-bit prefix of a pseudonym, used to count distinct pseudonyms quickly. */
export function pseudonymPrefix(pseudonym: string): bigint {
  return BigInt(`0x${pseudonym.slice(0, 16)}`);
}
