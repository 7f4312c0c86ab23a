// kill -9 of an erasure run at random moments (a child process, ≥ 20 runs, each from the same store): the
// store opens clean (integrity, audit chain) and every case is either fully erased — its name, ID number,
// phones, contacts, search rows and contact-log notes gone, with its audit entry — or untouched. The next
// run finishes the job and gives the interrupted run its signed certificate.
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, masterKeyOf, removeDir, tempDir, login, ADMIN_PASSWORD } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { openEncrypted } from '../../db/open.js';
import { storeFiles } from '../../db/paths.js';
import { auditRepo } from '../../db/repos/audit.js';
import { createBackend } from '../../core/backend.js';
import { verifyPackage } from '../../core/reports/verify.js';
import { ERASED_NAME } from '../../shared/domain/privacy.js';

const CHILD = path.resolve('test/helpers/erase-child.ts');
const CASES = 1500;

interface CaseState { name: string; id: string; mobile: string; contacts: string; erased: string | null; search: number; notes: string }

function snapshot(dir: string, key: Buffer) {
  const db = openEncrypted(storeFiles(dir).db, key, { migrate: false });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const audit = auditRepo(db).verify();
    const cases = new Map<number, CaseState>();
    const rows = db
      .prepare<[], CaseState & { cid: number }>(
        `SELECT c.id AS cid, c.borrower_name AS name, c.id_number AS id, c.mobile, c.contacts, c.erased_at AS erased,
                (SELECT count(*) FROM case_search s WHERE s.k BETWEEN c.id * 8 AND c.id * 8 + 7) AS search,
                coalesce((SELECT group_concat(a.note, '|') FROM contact_attempts a WHERE a.case_id = c.id), '') AS notes
           FROM cases c`,
      )
      .all();
    for (const { cid, ...r } of rows) cases.set(cid, r);
    const erasedAudit = new Set(db.prepare<[], { id: string }>("SELECT entity_id AS id FROM audit_log WHERE action = 'privacy.erase'").all().map((x) => Number(x.id)));
    const open = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM erasure_open').get()!.n;
    return { integrity, audit, cases, erasedAudit, open };
  } finally {
    db.close();
  }
}

async function runChild(store: string, killAfterMs: number | null): Promise<{ killed: boolean; startedAt: number; endedAt: number; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, store, 'KILL'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let startedAt = 0;
  const started = new Promise<void>((res) =>
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (!startedAt && out.includes('started')) {
        startedAt = Date.now();
        res();
      }
    }),
  );
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((res) => child.on('exit', () => res()));
  if (killAfterMs !== null) {
    await Promise.race([started, exited]);
    await new Promise((r) => setTimeout(r, killAfterMs));
    child.kill('SIGKILL');
  }
  await exited;
  return { killed: child.signalCode === 'SIGKILL', startedAt, endedAt: Date.now(), out };
}

describe('kill -9 during an erasure', () => {
  it('leaves every case either fully erased or untouched, and a clean store', async () => {
    const dir = tempDir('agencydesk-erasekill-');
    try {
      // A store with 1,500 returned cases due for erasure; 200 of them have a contact-log note naming the borrower.
      const pristine = path.join(dir, 'pristine');
      const s = await makeStore({ storeDir: pristine });
      const lender = (await s.admin.call('lenders.create', { code: 'KILL', name: '删除测试' })).id;
      const file = path.join(dir, 'cases.csv');
      writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(CASES, 7)]));
      const job = await waitJob(s.admin, (await s.admin.call('import.start', { lenderId: lender, file: { path: file } })).jobId);
      expect(job.state, JSON.stringify(job.error)).toBe('done');
      await new Promise((r) => setTimeout(r, 1500));
      const list = (await s.admin.call('cases.list', { sort: 'id', desc: false, limit: 200 })).rows;
      for (const c of list) await s.admin.call('contacts.log', { caseId: c.id, channel: 'phone', direction: 'inbound', outcome: 'connected', note: `${c.borrowerName}本人来电` });
      const all: number[] = [];
      for (let offset = 0; offset < CASES; offset += 500) all.push(...(await s.admin.call('cases.list', { sort: 'id', desc: false, offset, limit: 500 })).rows.map((r) => r.id));
      expect(all).toHaveLength(CASES);
      await s.admin.call('recalls.bySelection', { caseIds: all, reason: '委托方到期退案' });
      await s.admin.call('privacy.setRetention', { lenderId: lender, retention: { afterReturnedDays: 0, afterSettledDays: 0 } });
      expect((await s.admin.call('privacy.due', { lenderId: lender })).total).toBe(CASES);
      const key = masterKeyOf(pristine, s.recoveryKey);
      s.close();
      const before = snapshot(pristine, key).cases;

      // One whole run, to know how long the erasure itself takes here.
      const timing = path.join(dir, 'timing');
      cpSync(pristine, timing, { recursive: true });
      const full = await runChild(timing, null);
      expect(full.out).toContain('done');
      const eraseMs = full.endedAt - full.startedAt;
      const after = snapshot(timing, key);
      expect([...after.cases.values()].every((c) => c.erased !== null)).toBe(true);
      console.log(`erasure of ${CASES} cases in the child: ${eraseMs} ms (${full.out.trim().split('\n').pop()})`);

      let killed = 0;
      let partial = 0;
      const work = path.join(dir, 'work');
      // Until 20 runs were killed (a run that finished first does not count), at a random moment of the erasure.
      for (let run = 0; killed < 20 && run < 40; run++) {
        removeDir(work);
        cpSync(pristine, work, { recursive: true });
        const r = await runChild(work, Math.random() * eraseMs * 0.8);
        if (r.killed) killed++;
        const snap = snapshot(work, key);
        expect(snap.integrity, `run ${run}`).toBe('ok');
        expect(snap.audit.ok, `run ${run}: ${JSON.stringify(snap.audit.brokenAt)}`).toBe(true);
        expect(snap.open, `run ${run}: erasure_open is empty outside a transaction`).toBe(0);
        let erased = 0;
        for (const [id, c] of snap.cases) {
          const was = before.get(id)!;
          if (c.erased === null) {
            expect(c, `run ${run} case ${id} untouched`).toEqual(was);
            expect(snap.erasedAudit.has(id)).toBe(false);
          } else {
            erased++;
            expect({ name: c.name, id: c.id, mobile: c.mobile, contacts: c.contacts, search: c.search }, `run ${run} case ${id} erased`).toEqual({ name: ERASED_NAME, id: `#${id}`, mobile: '', contacts: '[]', search: 0 });
            expect(c.notes.replace(/\|/g, ''), `run ${run} case ${id} notes`).toBe('');
            expect(snap.erasedAudit.has(id), `run ${run} case ${id} has its audit entry`).toBe(true);
          }
        }
        if (erased > 0 && erased < CASES) partial++;
      }
      console.log(`${killed} runs killed, ${partial} of them between the first and the last case`);
      expect(killed).toBeGreaterThanOrEqual(20);
      expect(partial).toBeGreaterThanOrEqual(5);

      // The next erasure on the last killed store finishes the rest and certifies the interrupted run.
      const backend = createBackend({ storeDir: work, host: 'test', sweepEveryMs: 0 });
      try {
        const admin = await login(backend, 'admin', ADMIN_PASSWORD);
        const due = (await admin.call('privacy.due', { lenderId: lender })).total;
        // Nothing left due (killed while signing): the call still certifies the run, then says there is nothing to erase.
        if (due > 0) await admin.call('privacy.erase', { lenderId: lender });
        else expect(await admin.error('privacy.erase', { lenderId: lender })).toMatchObject({ code: 'CONFLICT' });
        const runs = (await admin.call('privacy.erasures', {})).runs;
        expect(runs.every((x) => x.finishedAt !== null && (x.path !== null) === (x.cases > 0))).toBe(true);
        expect(runs.reduce((n, x) => n + x.cases, 0)).toBe(CASES);
        for (const x of runs.filter((x) => x.path)) expect((await verifyPackage(x.path!)).valid).toBe(true);
      } finally {
        backend.close();
      }
    } finally {
      removeDir(dir);
    }
  }, 900_000);
});
