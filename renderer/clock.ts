// The backend's time as the screens should use it. Normally this computer's clock; when the web host
// runs on a test clock (AGENCYDESK_TEST_CLOCK), the offset to the host's clock, so forms default to the
// time the backend will judge.
let offsetMs = 0;
let testClockStart: string | null = null;

/** Takes system.status's testClock (null: the real clock). */
export function setHostClock(clock: { startedAt: string; now: string } | null): void {
  const t = clock ? Date.parse(clock.now) : Number.NaN;
  offsetMs = Number.isNaN(t) ? 0 : t - Date.now();
  testClockStart = clock && !Number.isNaN(t) ? clock.startedAt : null;
}

export function appNow(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Where the host's test clock started, or null on the real clock. */
export function testClockStartedAt(): string | null {
  return testClockStart;
}
