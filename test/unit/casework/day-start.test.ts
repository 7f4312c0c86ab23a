// The agency's day bounds come from one helper (dashboard, home), not "+08:00" literals.
import { describe, it, expect } from 'vitest';
import { dayStartIso, zoneDayModifier, zoneOffsetMinutes, DEFAULT_TIME_ZONE } from '../../../shared/domain/casework/today.js';

describe('dayStartIso / zoneDayModifier', () => {
  it('starts an Asia/Shanghai day at 16:00 UTC the day before', () => {
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Shanghai');
    expect(dayStartIso('2026-11-18')).toBe('2026-11-17T16:00:00.000Z');
    expect(dayStartIso('2026-01-01')).toBe('2025-12-31T16:00:00.000Z');
    expect(zoneDayModifier()).toBe('+480 minutes');
  });

  it('follows another zone, daylight saving included', () => {
    expect(dayStartIso('2026-11-18', 'UTC')).toBe('2026-11-18T00:00:00.000Z');
    expect(zoneOffsetMinutes('Asia/Kathmandu', new Date('2026-06-01T00:00:00Z'))).toBe(345);
    // New York: EST (-5) on 8 March 2026 at midnight, EDT (-4) from 02:00 that day.
    expect(dayStartIso('2026-03-08', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(dayStartIso('2026-03-09', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
    expect(zoneDayModifier('America/Los_Angeles')).toMatch(/^-4[28]0 minutes$/);
  });
});
