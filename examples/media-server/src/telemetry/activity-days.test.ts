import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createActivityDays } from './activity-days.js';

describe('createActivityDays', () => {
  it('counts active days in the last 7 and 28 days, across restarts, forgetting older ones', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'activity-')), 'active-days.json');
    const days = createActivityDays(file);
    for (const d of ['2025-12-31', '2026-01-20', '2026-01-25', '2026-01-27', '2026-01-28']) days.mark(d);
    expect(days.counts('2026-01-28')).toEqual({ activeDays7: 3, activeDays28: 4 });
    const again = createActivityDays(file);
    expect(again.counts('2026-01-28')).toEqual({ activeDays7: 3, activeDays28: 4 });
    again.mark('2026-03-01');
    expect(createActivityDays(file).counts('2026-01-28')).toEqual({ activeDays7: 1, activeDays28: 1 });
  });
});
