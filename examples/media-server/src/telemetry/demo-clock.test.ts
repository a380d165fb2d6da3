import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemoClock } from './demo-clock.js';

const DAY = 86_400_000;

describe('createDemoClock', () => {
  it('runs a day behind, ends its day while that is in the past, and never steps back across restarts', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'demo-clock-')), 'clock.json');
    let real = Date.parse('2026-03-10T14:30:00Z');
    const clock = createDemoClock({ file, realNow: () => real });
    expect(new Date(clock.now()).toISOString()).toBe('2026-03-09T14:30:00.000Z');
    expect(clock.endDay()).toBe('2026-03-09');
    expect(new Date(clock.now()).toISOString()).toBe('2026-03-10T00:00:00.000Z');
    expect(clock.day()).toBe('2026-03-10');
    // Ending today would date reports in the future.
    expect(clock.endDay()).toBeNull();
    real += 60_000;
    const restarted = createDemoClock({ file, realNow: () => real });
    expect(new Date(restarted.now()).toISOString()).toBe('2026-03-10T00:01:00.000Z');
    // From now on the telemetry day ends at midnight, as it does in production.
    real += DAY;
    expect(restarted.day()).toBe('2026-03-11');
    expect(restarted.endDay()).toBeNull();
    expect(restarted.now()).toBeLessThanOrEqual(real);
  });
});
