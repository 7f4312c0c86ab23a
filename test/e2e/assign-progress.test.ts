// A large assignment in a real browser, at 1366×768: 100,000 open cases (seeded by SQL: an import that size would
// take most of the test), the web host with one heavy worker (as the desktop has) so the apply runs off the request
// thread. Manager 李四 applies the batch: the dialog counts the parts up while they are written; manager 周八, on
// the Assign page in another browser, is told that 李四's assignment is being written and that previewed workloads
// still change; when it ends, 李四 sees the result and 周八's notice goes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { makeStore, rawOpen, removeDir } from '../helpers/store.js';
import { seedCases, seedProfiles } from '../helpers/assign-seed.js';

const CASES = 100_000;
const PW = 'Manager-pass-1';
const MANAGERS = [
  { username: 'lisi', displayName: '李四' },
  { username: 'zhouba', displayName: '周八' },
] as const;

let dir = '';
let recoveryKey = '';
let host: WebHost;
const browsers: BrowserSession[] = [];

describe('a large assignment, watched by two managers (web host + Chromium)', () => {
  beforeAll(async () => {
    const s = await makeStore();
    dir = s.dir;
    recoveryKey = s.recoveryKey;
    for (const m of MANAGERS) await s.admin.call('users.create', { ...m, role: 'manager', password: PW });
    const collectors: number[] = [];
    for (let i = 0; i < 6; i++) collectors.push((await s.admin.call('users.create', { username: `c${i}`, displayName: `催收员${i}`, role: 'collector', password: 'Collector-pass-1' })).id);
    const lenderId = (await s.admin.call('lenders.create', { code: 'BIG', name: '大额贷' })).id;
    s.close();
    const db = rawOpen(dir, s.recoveryKey);
    try {
      seedCases(db, lenderId, CASES, 11);
      seedProfiles(db, Object.fromEntries(collectors.map((id) => [id, CASES]))); // room for all of them
    } finally {
      db.close();
    }
    host = await startWebHost({ storeDir: dir, env: { AGENCYDESK_HEAVY_WORKERS: '1' } });
    for (let i = 0; i < 2; i++) browsers.push(await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } }));
  }, 180_000);

  afterAll(async () => {
    for (const b of browsers) await b.close();
    await host?.stop();
    if (dir) removeDir(dir);
  });

  it('counts the parts up in the dialog, tells the other manager, and ends with the result', async () => {
    const [a, b] = browsers as [BrowserSession, BrowserSession];
    try {
      const ua = uiSteps(a);
      const ub = uiSteps(b);
      for (const [k, [br, u]] of [[a, ua], [b, ub]].entries() as IterableIterator<[number, [BrowserSession, typeof ua]]>) {
        await br.page.goto(host.url);
        await u.login(MANAGERS[k]!.username, PW);
        await br.page.getByTestId('page-home').waitFor({ timeout: 30_000 });
        await br.page.getByTestId('nav-assign').click();
      }
      await ua.pick('assign-batch', 'assign-batch-SEED-1');
      await ua.pick('assign-rule', 'assign-rule-balanced');
      await a.page.getByTestId('assign-preview').click();
      await a.page.getByTestId('assign-plan').waitFor({ timeout: 120_000 });
      await a.page.getByTestId('assign-apply').click();
      expect(await a.page.getByTestId('assign-apply-text').textContent()).toContain('100,000 个案件将按“金额均衡”规则分给 6 位催收员');
      // An apply of 100,000 cases alone on this machine takes seconds, less than the other manager's poll (3 s) may
      // need to see it: once its plan is attached, the test holds the write lock (as a long writer would), so the
      // parts wait while both managers look, then lets go and watches them go on.
      const raw = rawOpen(dir, recoveryKey);
      raw.pragma('busy_timeout = 30000');
      let held = false;
      try {
        await a.page.getByTestId('assign-apply-dialog-submit').click();
        for (const until = Date.now() + 120_000; !raw.prepare('SELECT 1 FROM assignment_pending WHERE assignment_id IS NOT NULL').get(); ) {
          if (Date.now() > until) throw new Error('the assignment was not attached to its plan');
          await new Promise((r) => setTimeout(r, 5));
        }
        raw.exec('BEGIN IMMEDIATE');
        held = true;

        // Parts counted up while they are written (first the plan is made: no parts yet).
        const progress = a.page.getByTestId('assign-apply-progress');
        await eventually(() => progress.textContent(), 120_000).toMatch(/分案 #1 执行中：已完成 [\d,]+\/200 批（\d+%，共 100,000 个案件）/);
        await ua.shot('assign-progress-01-dialog-zh');
        const bar = progress.getByRole('progressbar');
        const first = Number(await bar.getAttribute('aria-valuenow'));
        expect(first).toBeLessThan(50); // seen early: a moving bar can be told from one shown once
        // The other manager is told whose assignment is being written.
        const notice = b.page.getByTestId('assign-applying-notice');
        await eventually(() => notice.textContent(), 60_000).toMatch(/李四 的分案 #1 正在执行：已完成 [\d,]+\/200 批/);
        await ub.shot('assign-progress-02-notice-zh');
        raw.exec('COMMIT');
        held = false;
        // …and counted up: the bar moves on from where it was.
        await eventually(async () => Number(await bar.getAttribute('aria-valuenow', { timeout: 1000 })), 120_000).toBeGreaterThan(first);
      } finally {
        if (held) raw.exec('COMMIT');
        raw.close();
      }
      const notice = b.page.getByTestId('assign-applying-notice');

      // Done: the result for 李四, and the notice goes for 周八.
      await eventually(() => a.page.getByTestId('assign-done').textContent(), 300_000).toContain('分案 #1：已分配 100,000 个案件');
      await notice.waitFor({ state: 'detached', timeout: 30_000 });
      expect(a.errors).toEqual([]);
      expect(b.errors).toEqual([]);
    } catch (e) {
      await a.screenshot('failure-assign-progress-a').catch(() => {});
      await b.screenshot('failure-assign-progress-b').catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}`, { cause: e });
    }
  }, 600_000);
});
