// A test clock for the web host only (AGENCYDESK_TEST_CLOCK=<ISO time with zone>): the backend's clock
// starts at that time and advances in real time, so an end-to-end journey can log a call at 22:00 in
// Asia/Shanghai. Contact-log times are evidence: the host prints it loudly, every audit entry's host is
// marked, login records it, and the UI shows a warning bar. Electron and the CLI never take one.
import type { HostKind } from '../shared/contract/models.js';

export const TEST_CLOCK_ENV = 'AGENCYDESK_TEST_CLOCK';

/** Hosts that may run on a test clock ('test' is the in-process backend of the integration tests). */
export const TEST_CLOCK_HOSTS: readonly HostKind[] = ['web', 'test'];

export interface TestClock {
  /** The fake time the clock started at (ISO, UTC). */
  readonly startedAt: string;
  /** The real time it started at (ISO, UTC). */
  readonly realStartedAt: string;
  now(): Date;
}

// A zone is required: "22:00" alone would mean the machine's zone, which is how evidence goes wrong.
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses the setting; throws an Error naming the expected form when it is not one. */
export function parseTestClock(value: string, realNow: () => number = Date.now): TestClock {
  const start = ISO_WITH_ZONE.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN;
  if (Number.isNaN(start)) {
    throw new Error(`${TEST_CLOCK_ENV}=${JSON.stringify(value)} is not a time: give an ISO time with its zone, e.g. 2025-04-01T22:00:00+08:00.`);
  }
  const real0 = realNow();
  return {
    startedAt: new Date(start).toISOString(),
    realStartedAt: new Date(real0).toISOString(),
    now: () => new Date(start + (realNow() - real0)),
  };
}

/** The startup warning, one line per statement so it stands out in any log. */
export function testClockWarning(clock: TestClock): string {
  const bar = '!'.repeat(78);
  return [
    bar,
    `!!! TEST CLOCK: this host's clock started at ${clock.startedAt} (real time ${clock.realStartedAt})`,
    '!!! and runs in real time from there. Contact-log and audit times it writes are NOT real.',
    '!!! For tests only: never use it on a store with real cases.',
    bar,
  ].join('\n');
}
