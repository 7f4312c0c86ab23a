import { describe, expect, it } from 'vitest';
import { dayIn, dayOfIso } from '../../../shared/domain/casework/today.js';

describe('dayOfIso (the cached day of a stored instant)', () => {
  const zones = ['Asia/Shanghai', 'America/New_York', 'Asia/Kolkata', 'Australia/Adelaide', 'UTC'];

  it('agrees with dayIn at and around every midnight, DST changes included', () => {
    // Instants a minute either side of local midnight, and the first and last second of each minute.
    const starts = ['2024-03-10T04:59:00.000Z', '2024-03-10T05:00:00.000Z', '2024-11-03T03:59:59.999Z', '2026-10-31T15:59:59.999Z', '2026-10-31T16:00:00.000Z', '2026-10-31T18:29:00.000Z', '2026-10-31T18:30:00.000Z', '2026-10-31T13:29:30.000Z', '2026-10-31T13:30:00.000Z'];
    for (const tz of zones)
      for (const iso of starts) {
        const at = Date.parse(iso);
        for (const d of [-60_000, -1, 0, 1, 59_999, 60_000]) {
          const s = new Date(at + d).toISOString();
          expect(dayOfIso(s, tz), `${s} in ${tz}`).toBe(dayIn(new Date(s), tz));
        }
      }
  });

  it('agrees with dayIn on random instants over ten years', () => {
    let x = 12345;
    for (let i = 0; i < 20_000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const s = new Date(Date.UTC(2020, 0, 1) + (x / 2 ** 31) * 10 * 365 * 86_400_000).toISOString();
      const tz = zones[i % zones.length]!;
      expect(dayOfIso(s, tz)).toBe(dayIn(new Date(s), tz));
    }
  });

  it('reads other ISO forms through dayIn', () => {
    expect(dayOfIso('2026-10-31T23:30:00+08:00')).toBe('2026-10-31');
    expect(dayOfIso('2026-10-31T16:30:00Z')).toBe('2026-11-01');
  });
});
