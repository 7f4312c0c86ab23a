// Opening a case writes its "viewed" audit entry (cases.get). While another connection holds the write lock — a
// placement import's COMMIT holds it ~6 s at 1M cases — that write waited, and the collector with it (the
// slowest calls of the server bench, 4–6 s). Now the view goes into the store's view journal instead
// (db/view-journal.ts: sealed, fsync'd before the case is shown) and is moved into the audit log, with the
// time of the view, as soon as the lock is free: after the next call, at the sweeper's tick, before the store
// closes, and when it opens after a crash. The move commits with the journal's generation (meta
// view_journal_done), so a crash between that commit and the file's removal moves nothing twice.
import { randomBytes } from 'node:crypto';
import type { StoreHandle } from '../store-handle.js';
import type { Ctx } from '../context.js';
import { ViewJournal } from '../../db/view-journal.js';
import { appendAudit } from '../audit-entry.js';
import { isBusy } from '../busy.js';
import { SYSTEM_ACTOR } from '../audit/actor.js';

const KEY = 'view_journal_key';
const DONE = 'view_journal_done';
const journals = new WeakMap<StoreHandle, ViewJournal>();

/** At open, before anything else writes: the journal (its key made once and kept in the store) and what a crash left. */
export function openViewJournal(store: StoreHandle, hostLabel: string): void {
  const r = store.repos;
  let key = r.meta.get(KEY);
  if (!key) {
    const made = randomBytes(32).toString('base64');
    r.db.transaction(() => r.meta.set(KEY, made)).immediate();
    key = made;
  }
  const journal = new ViewJournal(store.files.viewJournal, Buffer.from(key, 'base64'));
  journals.set(store, journal);
  // Moved before a crash and not yet removed: removed now, so that no new view joins a generation already moved.
  const left = journal.read();
  if (left && r.meta.get(DONE) === left.generation) journal.remove();
  moveViews(store, hostLabel);
}

/** Records that the user of `ctx` viewed a case: in the audit log now, or in the journal while the lock is taken. */
export function recordView(ctx: Ctx, caseId: number, caseNo: string): void {
  const r = ctx.store.repos;
  try {
    // IMMEDIATE: the entry reads the chain's head before it inserts, and a DEFERRED transaction that has read
    // is answered BUSY at once when it then meets another connection's write lock.
    r.db.transaction(() => ctx.audit('cases.view', 'case', caseId, { caseNo })).immediate();
  } catch (e) {
    const journal = journals.get(ctx.store);
    if (!isBusy(e) || !journal) throw e;
    journal.append({ at: ctx.now().toISOString(), actorId: ctx.user!.id, actor: ctx.user!.username, host: ctx.hostLabel, caseId, caseNo });
  }
}

/** Whether views wait in the journal. */
export const viewsWaiting = (store: StoreHandle): boolean => journals.get(store)?.pending ?? false;

/**
 * Moves the journal's views into the audit log in one transaction, then removes the file. false when the write
 * lock is taken (they stay for the next try). A record that cannot be read (damage) is named in the log.
 */
export function moveViews(store: StoreHandle, hostLabel: string): boolean {
  const journal = journals.get(store);
  if (!journal?.pending || !store.isOpen()) return true;
  const r = store.repos;
  try {
    // The file is read under the lock: while another connection holds it, a try costs one failed BEGIN.
    r.db
      .transaction(() => {
        const now = journal.read();
        if (!now || r.meta.get(DONE) === now.generation) return; // moved before a crash, not yet removed
        for (const v of now.views) {
          appendAudit(r, { at: v.at, actorId: v.actorId, actor: v.actor, host: v.host, action: 'cases.view', entity: 'case', entityId: String(v.caseId), detail: { caseNo: v.caseNo } });
        }
        if (now.unreadable > 0) {
          appendAudit(r, { at: new Date().toISOString(), actorId: null, actor: SYSTEM_ACTOR, host: hostLabel, action: 'privacy.viewJournalDamaged', entity: 'store', entityId: 'views.journal', detail: { records: now.unreadable } });
        }
        r.meta.set(DONE, now.generation);
      })
      .immediate();
  } catch (e) {
    if (isBusy(e)) return false;
    throw e;
  }
  journal.remove();
  return true;
}
