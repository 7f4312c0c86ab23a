// A placement made without a date is placed on the agency's calendar day, not UTC's: at 01:00 in China
// (17:00 UTC the day before) it is already the new day, and the balance must not charge a day of penalty.
import { describe, it, expect, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

const files = tempDir('agencydesk-import-day-');
afterAll(() => removeDir(files));

describe('default placement date', () => {
  it("is the agency's day (Asia/Shanghai) at 01:00 there", async () => {
    const s = await makeStore({ now: () => new Date('2026-11-23T17:00:00Z') });
    try {
      const lender = (await s.admin.call('lenders.create', { code: 'DAY', name: '日期' })).id;
      const file = path.join(files, 'p.csv');
      writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(2, 3)]));
      const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file } });
      expect((await waitJob(s.admin, jobId)).state).toBe('done');
      const batch = (await s.admin.call('batches.list', { lenderId: lender })).batches[0]!;
      expect(batch.placementDate).toBe('2026-11-24');
      expect(batch.batchNo).toBe('DAY-20261124-1');
    } finally {
      s.close();
      removeDir(s.dir);
    }
  });
});
