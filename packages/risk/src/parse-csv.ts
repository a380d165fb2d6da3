import { RiskInputError } from './errors.js';

/**
 * Parses CSV text as RFC 4180 defines it: comma-separated fields, optional double quotes,
 * `""` for a quote inside a quoted field, CRLF or LF line ends, an optional UTF-8 byte-order
 * mark. Blank lines are skipped. Throws a {@link RiskInputError} naming the line of an
 * unterminated quoted field or of a stray quote in an unquoted one.
 * @example parseCsv('a,b\n1,"x, y"\n') // [['a', 'b'], ['1', 'x, y']]
 */
export function parseCsv(text: string, source = 'input'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  // Whether the current row has any content; a line with nothing on it is not a row.
  let rowStarted = false;
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      if (field.length > 0) throw new RiskInputError('RISK_CSV_MALFORMED', `${source}:${line}: a quote inside an unquoted field (RFC 4180 requires the whole field to be quoted)`);
      const startLine = line;
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close === -1) throw new RiskInputError('RISK_CSV_MALFORMED', `${source}:${startLine}: a quoted field is never closed`);
        const chunk = text.slice(i, close);
        for (let k = 0; k < chunk.length; k++) if (chunk.charCodeAt(k) === 10) line++;
        field += chunk;
        if (text[close + 1] === '"') {
          field += '"';
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new RiskInputError('RISK_CSV_MALFORMED', `${source}:${line}: unexpected text after a closing quote`);
      }
      rowStarted = true;
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
      rowStarted = true;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      if (rowStarted || field.length > 0) {
        row.push(field);
        rows.push(row);
      }
      row = [];
      field = '';
      rowStarted = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    // Plain run of an unquoted field, read in one slice rather than one character at a time.
    let j = i + 1;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === 44 || d === 10 || d === 13 || d === 34) break;
      j++;
    }
    field += text.slice(i, j);
    rowStarted = true;
    i = j;
  }
  if (rowStarted || field.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
