import { describe, expect, it } from 'vitest';
import { formatQuantity } from './format-quantity.js';

describe('formatQuantity', () => {
  it.each([
    [30, 'seconds', '30 s'],
    [90, 'seconds', '1.5 min'],
    [5400, 'seconds', '90 min'],
    [7200, 'seconds', '2 h'],
    [800, 'kbps', '800 kbps'],
    [1500, 'kbps', '1.5 Mbps'],
    [512, 'bytes', '512 B'],
    [1536, 'bytes', '1.5 KiB'],
    [3 * 1024 ** 3, 'bytes', '3 GiB'],
    [999, 'count', '999'],
    [10_000, 'count', '10k'],
    [2_500_000, 'count', '2.5M'],
    [1080, 'pixels', '1080 px'],
    [50, 'percent', '50 %'],
    [1 / 3, 'none', '0.33'],
  ] as const)('%d %s → %s', (value, unit, expected) => {
    expect(formatQuantity(value, unit)).toBe(expected);
  });
});
