const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
// Estimates (weekly and monthly active installs) come with two decimals; they are shown as given.
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const share = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A count or share as the table shows it; noised values carry "≈". */
export function formatNumber(value: number, noised: boolean, percent = false): string {
  const text = percent ? `${share.format(value)} %` : Number.isInteger(value) ? integer.format(value) : decimal.format(value);
  return noised ? `≈ ${text}` : text;
}

/** An axis tick: compact counts (1.2K) or percentages. */
export function formatTick(value: number, percent: boolean): string {
  return percent ? `${integer.format(value)} %` : compact.format(value);
}

/** A period as an axis shows it: `Nov 3`, `W45` or `Nov 2026`. */
export function periodLabel(period: string): string {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(period);
  if (m) return `${MONTHS[Number(m[2]) - 1]} ${Number(m[3])}`;
  m = /^\d{4}-W(\d{2})$/.exec(period);
  if (m) return `W${Number(m[1])}`;
  m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) return `${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  return period;
}

/** A day range in words: `2026-11-01 to 2026-11-30`. */
export function rangeText(from: string, to: string): string {
  return from === to ? from : `${from} to ${to}`;
}
