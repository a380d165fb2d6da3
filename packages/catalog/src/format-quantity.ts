/** Units a numeric generalizer may declare; they drive the human labels. */
export type Unit = 'seconds' | 'kbps' | 'count' | 'bytes' | 'pixels' | 'percent' | 'none';

/** Formats a number in its unit for people ("90 min", "8 Mbps", "10k"). */
export function formatQuantity(value: number, unit: Unit): string {
  switch (unit) {
    case 'seconds':
      if (value < 60) return `${trim(value)} s`;
      if (value % 3600 !== 0 || value < 3600) return `${trim(value / 60)} min`;
      return `${trim(value / 3600)} h`;
    case 'kbps':
      return value < 1000 ? `${trim(value)} kbps` : `${trim(value / 1000)} Mbps`;
    case 'bytes':
      if (value < 1024) return `${trim(value)} B`;
      if (value < 1024 ** 2) return `${trim(value / 1024)} KiB`;
      if (value < 1024 ** 3) return `${trim(value / 1024 ** 2)} MiB`;
      return `${trim(value / 1024 ** 3)} GiB`;
    case 'count':
      if (value >= 1_000_000) return `${trim(value / 1_000_000)}M`;
      if (value >= 1000) return `${trim(value / 1000)}k`;
      return trim(value);
    case 'pixels':
      return `${trim(value)} px`;
    case 'percent':
      return `${trim(value)} %`;
    case 'none':
      return trim(value);
  }
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}
