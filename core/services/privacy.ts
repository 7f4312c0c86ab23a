// Privacy (PIPL): unmasking one value for a reason, the access report, retention and erasure.
// The rules are shared/domain/privacy.ts; this file gathers the facts, enforces them and audits.
import { dayStartIso } from '../../shared/domain/casework/today.js';
import { addDays } from '../../shared/domain/money/plans.js';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import type { Ctx, Handler } from '../context.js';
import { ApiFailure } from '../../shared/contract/failure.js';
import { contactsFromJson } from '../../shared/domain/placement/contacts-json.js';
import { maskExtraValue } from '../../shared/domain/placement/case-facts.js';
import { DEFAULT_RETENTION, retentionOf, UNMASK_SHOW_SECONDS, unmaskRefusal } from '../../shared/domain/privacy.js';
import type { RawCase, ErasureRunRow } from '../../db/repos/privacy.js';
import type { ErasureRun } from '../../shared/contract/privacy.js';
import { finishInterruptedRuns, runErasure } from '../privacy/erase.js';
import { dueCasesAt } from '../privacy/due.js';

/** The stored value behind one masked field (null: the case has none). */
function rawValue(c: RawCase, field: string): string | null {
  const v = (x: string | null | undefined) => (x === null || x === undefined || x.trim() === '' ? null : x);
  switch (field) {
    case 'idNumber':
      return v(c.id_number);
    case 'mobile':
      return v(c.mobile);
    case 'homeAddress':
      return v(c.home_address);
    case 'workAddress':
      return v(c.work_address);
    case 'registeredAddress':
      return v(c.registered_address);
  }
  const slot = /^contact([1-6])$/.exec(field);
  if (slot) return v(contactsFromJson(c.contacts).find((k) => k.slot === Number(slot[1]))?.phone);
  if (field.startsWith('extra:')) {
    const header = field.slice(6);
    let extra: Record<string, unknown> = {};
    try {
      extra = JSON.parse(c.extra) as Record<string, unknown>;
    } catch {
      /* no extra columns */
    }
    const x = extra[header];
    if (x === null || x === undefined || typeof x === 'object') return null;
    // Only what the case view masks is "unmasked"; anything else is shown as written already.
    return maskExtraValue(header, x) === String(x) ? null : v(String(x));
  }
  return null;
}

const unmask: Handler<'cases.unmask'> = ({ caseId, field, reason, note }, ctx) => {
  const user = ctx.user!;
  const r = ctx.store.repos;
  const c = r.privacy.rawCase(caseId);
  // Another collector's case answers exactly like a missing one (as cases.get does).
  if (!c || (user.role === 'collector' && c.collector_id !== user.id)) throw new ApiFailure('NOT_FOUND', `No case with id ${caseId}.`);
  const refusal = unmaskRefusal(field, { role: user.role, holds: c.collector_id === user.id, status: c.status, erased: c.erased_at !== null });
  if (refusal) {
    r.db.transaction(() => ctx.audit('cases.unmaskRefused', 'case', caseId, { caseNo: c.case_no, field, reason, refusal })).immediate();
    throw new ApiFailure('FORBIDDEN', refusal);
  }
  const value = rawValue(c, field);
  if (value === null) throw new ApiFailure('NOT_FOUND', `The case has no ${field}.`);
  r.db.transaction(() => ctx.audit('cases.unmask', 'case', caseId, { caseNo: c.case_no, field, reason, note })).immediate();
  return { field, value, showSeconds: UNMASK_SHOW_SECONDS };
};

const accessReport: Handler<'privacy.accessReport'> = ({ from, to, limit }, ctx) => {
  if (from > to) throw new ApiFailure('BAD_INPUT', `The period starts (${from}) after it ends (${to}).`);
  const r = ctx.store.repos;
  // The agency's days (one rule: shared/domain/casework/today.ts), the last one whole.
  const [a, b] = [dayStartIso(from), dayStartIso(addDays(to, 1))];
  const views = r.privacy.views(a, b, limit + 1);
  const unmasks = r.privacy.unmasks(a, b, limit + 1);
  const truncated = views.length > limit || unmasks.length > limit;
  const byUser = new Map<string, { views: number; unmasks: number }>();
  const tally = (u: string, k: 'views' | 'unmasks') => {
    const t = byUser.get(u) ?? { views: 0, unmasks: 0 };
    t[k]++;
    byUser.set(u, t);
  };
  const v = views.slice(0, limit).map((x) => (tally(x.actor, 'views'), { at: x.at, user: x.actor, role: x.role ?? '', caseId: x.case_id, caseNo: x.case_no ?? '', holder: x.holder }));
  const u = unmasks.slice(0, limit).map((x) => {
    tally(x.actor, 'unmasks');
    const d = JSON.parse(x.detail) as { caseNo?: string; field?: string; reason?: string; note?: string };
    return { at: x.at, user: x.actor, role: x.role ?? '', caseId: x.case_id, caseNo: d.caseNo ?? '', field: d.field ?? '', reason: d.reason ?? '', note: d.note ?? '' };
  });
  r.db.transaction(() => ctx.audit('privacy.accessReport', 'store', null, { from, to, views: v.length, unmasks: u.length })).immediate();
  return { views: v, unmasks: u, byUser: [...byUser].map(([user, t]) => ({ user, ...t })).sort((x, y) => x.user.localeCompare(y.user)), truncated };
};

const retention: Handler<'privacy.retention'> = (_input, ctx) => ({
  lenders: ctx.store.repos.privacy.lenders().map((l) => ({ lenderId: l.id, code: l.code, name: l.name, retention: retentionOf(l.retention) })),
  defaults: DEFAULT_RETENTION,
});

const setRetention: Handler<'privacy.setRetention'> = ({ lenderId, retention: next }, ctx) => {
  const r = ctx.store.repos;
  const before = r.privacy.retention(lenderId);
  if (before === undefined) throw new ApiFailure('NOT_FOUND', `No lender with id ${lenderId}.`);
  r.db.transaction(() => {
    r.privacy.setRetention(lenderId, JSON.stringify(next));
    ctx.audit('privacy.setRetention', 'lender', lenderId, { before: retentionOf(before), after: next });
  })();
  return next;
};

/** Finished, not yet erased cases whose retention has run out by today (the agency's day). */
export const dueCases = (ctx: Ctx, lenderId: number | null) => dueCasesAt(ctx.store.repos, lenderId, ctx.now());

const due: Handler<'privacy.due'> = ({ lenderId, limit }, ctx) => {
  const rows = dueCases(ctx, lenderId ?? null);
  return { total: rows.length, rows: rows.slice(0, limit) };
};

export const toRun = (x: ErasureRunRow): ErasureRun => ({
  id: x.id,
  lenderCode: x.lender_code,
  startedAt: x.started_at,
  finishedAt: x.finished_at,
  by: x.started_by,
  cases: x.cases,
  path: x.path,
  fingerprint: x.fingerprint,
  manifestSha256: x.manifest_sha256,
});

// The due cases are found, checked and scrubbed in the erasure worker (core/privacy/erase.ts); this thread
// answers other calls meanwhile and signs the certificate at the end.
const erase: Handler<'privacy.erase'> = async ({ lenderId, caseIds }, ctx) => {
  const r = ctx.store.repos;
  if (!r.lenders.byId(lenderId)) throw new ApiFailure('NOT_FOUND', `No lender with id ${lenderId}.`);
  // A run a kill (or a failure while signing) left without its certificate gets it now, due cases or not.
  finishInterruptedRuns(ctx);
  const out = await runErasure(ctx, lenderId, caseIds ?? null);
  return { ...out, run: toRun(r.privacy.run(out.runId)!) };
};

const erasures: Handler<'privacy.erasures'> = (_input, ctx) => ({ runs: ctx.store.repos.privacy.runs().map(toRun) });

const certificate: Handler<'privacy.certificate'> = ({ runId }, ctx) => {
  const r = ctx.store.repos;
  const run = r.privacy.run(runId);
  if (!run || !run.path) throw new ApiFailure('NOT_FOUND', `No erasure certificate for run ${runId}.`);
  let files: Record<string, Uint8Array>;
  const base = path.basename(run.path);
  try {
    files = Object.fromEntries(readdirSync(run.path).map((n) => [`${base}/${n}`, readFileSync(path.join(run.path!, n))]));
  } catch {
    throw new ApiFailure('NOT_FOUND', `The certificate is no longer at ${run.path} (moved or deleted).`);
  }
  r.db.transaction(() => ctx.audit('privacy.certificateDownload', 'erasure_run', runId, { path: run.path })).immediate();
  return { fileName: `${base}.zip`, zipBase64: Buffer.from(zipSync(files)).toString('base64') };
};

export const privacyHandlers = {
  'cases.unmask': unmask,
  'privacy.accessReport': accessReport,
  'privacy.retention': retention,
  'privacy.setRetention': setRetention,
  'privacy.due': due,
  'privacy.erase': erase,
  'privacy.erasures': erasures,
  'privacy.certificate': certificate,
};
