// The erasure run: a run row first, then the cases in small transactions (each case is erased whole with its
// audit entry, or not at all: a kill between them leaves every case either erased or untouched), then the
// signed certificate, then the space back. A run a kill interrupted is finished (certificate) by the next.
//
// secure_delete is on, so freed cells and pages are zeroed before SQLite writes them; the WAL is then
// checkpointed and truncated so no older image of an erased page stays in it; VACUUM gives the space back.
import type { Ctx } from '../context.js';
import { writeCertificate } from './certificate.js';
import { reclaimSpace, secureDeleteOn } from '../../db/reclaim.js';

const CASES_PER_TRANSACTION = 100;

function finishRun(ctx: Ctx, runId: number): void {
  const r = ctx.store.repos;
  // A run killed before its first case has nothing to certify: closed without a certificate.
  if (r.privacy.erasedIn(runId).length === 0) {
    r.db.transaction(() => {
      r.privacy.closeEmptyRun(runId, ctx.now().toISOString());
      ctx.audit('privacy.certificate', 'erasure_run', runId, { cases: 0, path: null });
    })();
    return;
  }
  const cert = writeCertificate(ctx, runId);
  r.db.transaction(() => {
    r.privacy.finishRun(runId, ctx.now().toISOString(), cert.cases, cert.path, cert.fingerprint, cert.manifestSha256);
    ctx.audit('privacy.certificate', 'erasure_run', runId, { cases: cert.cases, path: cert.path, fingerprint: cert.fingerprint, manifestSha256: cert.manifestSha256 });
  })();
}

/** Runs a kill interrupted: their erased cases get their certificate now. */
export function finishInterruptedRuns(ctx: Ctx): number[] {
  const ids = ctx.store.repos.privacy.unfinishedRuns().map((x) => x.id);
  for (const id of ids) finishRun(ctx, id);
  return ids;
}

/**
 * VACUUMs, then checkpoints and truncates the WAL; returns the time it took and the free pages before. Best
 * effort: the erasure is committed and certified by then, so a worker holding the write lock (VACUUM answers
 * BUSY) or a reader keeping the WAL (no truncation yet) leaves it for the next run, and `reclaimed` says so.
 */
export function reclaim(ctx: Ctx): { vacuumMs: number; freedPages: number; reclaimed: boolean } {
  const t0 = performance.now();
  const out = reclaimSpace(ctx.store.repos.db);
  return { vacuumMs: Math.round(performance.now() - t0), ...out };
}

export function eraseCases(ctx: Ctx, lenderId: number, ids: readonly number[]): { runId: number; erased: number; vacuumMs: number; freedPages: number; reclaimed: boolean } {
  const r = ctx.store.repos;
  const db = r.db;
  finishInterruptedRuns(ctx);
  secureDeleteOn(db);
  const runId = db.transaction(() => {
    const id = r.privacy.addRun(lenderId, ctx.now().toISOString(), ctx.user!.id);
    ctx.audit('privacy.eraseStarted', 'lender', lenderId, { runId: id, cases: ids.length });
    return id;
  })();
  let erased = 0;
  for (let i = 0; i < ids.length; i += CASES_PER_TRANSACTION) {
    const chunk = ids.slice(i, i + CASES_PER_TRANSACTION);
    erased += db.transaction(() => {
      let n = 0;
      const at = ctx.now().toISOString();
      for (const id of chunk) {
        const c = r.privacy.rawCase(id);
        if (!c || !r.privacy.eraseCase(id, runId, at)) continue;
        r.privacy.scrubRejections(id);
        ctx.audit('privacy.erase', 'case', id, { caseNo: c.case_no, runId });
        n++;
      }
      return n;
    })();
  }
  finishRun(ctx, runId);
  return { runId, erased, ...reclaim(ctx) };
}
