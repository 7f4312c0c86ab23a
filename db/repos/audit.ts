// The audit log: append-only (triggers refuse UPDATE/DELETE) and hash-chained, so edits and gaps show.
// Two hash forms (migration 022): form 1 (older entries) covers the detail as written; form 2 covers the detail's
// structure and, for an entry about a case, the salted digest of its free text, kept in audit_text so that
// erasing the case can clear it (shared/domain/audit-text.ts decides what is text).
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../open.js';
import type { AuditEntry, AuditVerify } from '../../shared/contract/models.js';
import { auditCaseOf, mergeAuditText, splitAuditDetail } from '../../shared/domain/audit-text.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  at: string;
  actorId: number | null;
  actor: string;
  host: string;
  action: string;
  entity: string;
  entityId: string | null;
  detail: Record<string, unknown>;
}

interface Row {
  seq: number;
  at: string;
  actor_id: number | null;
  actor: string;
  host: string;
  action: string;
  entity: string;
  entity_id: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
  /** 1: the hash covers `detail` as written (before migration 022); 2: it covers `text_digest` too. */
  hash_form?: number;
  /** Form 2, entry with free text: sha256(salt ‖ text) of its audit_text row. */
  text_digest?: string | null;
}

/** An entry with its audit_text row (LEFT JOIN: all null when it has none). */
interface RowWithText extends Row {
  t_seq: number | null;
  t_salt: Buffer | null;
  t_text: string | null;
  t_run: number | null;
}

export function entryHash(r: Omit<Row, 'hash'>): string {
  const canonical =
    (r.hash_form ?? 1) === 2
      ? JSON.stringify([2, r.seq, r.at, r.actor_id, r.actor, r.host, r.action, r.entity, r.entity_id, r.detail, r.text_digest ?? null, r.prev_hash])
      : JSON.stringify([r.seq, r.at, r.actor_id, r.actor, r.host, r.action, r.entity, r.entity_id, r.detail, r.prev_hash]);
  return createHash('sha256').update(canonical).digest('hex');
}

export const textDigest = (salt: Buffer, text: string): string => createHash('sha256').update(salt).update(text, 'utf8').digest('hex');

// Text is shown only when the chain covers it (form 2 with a digest): a text row slipped in beside another entry is not.
const toEntry = (r: RowWithText): AuditEntry => {
  const kept = JSON.parse(r.detail) as Record<string, unknown>;
  const covered = r.hash_form === 2 && r.text_digest != null;
  return {
    seq: r.seq,
    at: r.at,
    actorId: r.actor_id,
    actor: r.actor,
    host: r.host,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    detail: covered && r.t_text !== null ? mergeAuditText(kept, JSON.parse(r.t_text) as Record<string, unknown>) : kept,
    hash: r.hash,
    ...(covered && r.t_text === null && r.t_run !== null ? { textErasedBy: r.t_run } : {}),
  };
};

/** The detail as written (free text put back while it exists) for SQL readers of the log's detail. */
export function detailWithText(detail: string, text: string | null): string {
  return text === null ? detail : JSON.stringify(mergeAuditText(JSON.parse(detail) as Record<string, unknown>, JSON.parse(text) as Record<string, unknown>));
}

const WITH_TEXT = `SELECT a.*, t.seq AS t_seq, t.salt AS t_salt, t.text AS t_text, t.erased_run AS t_run FROM audit_log a LEFT JOIN audit_text t ON t.seq = a.seq`;
// A store (or a backup being restored) from before migration 022: every entry is form 1, and none has text apart.
const WITHOUT_TEXT = `SELECT a.*, NULL AS t_seq, NULL AS t_salt, NULL AS t_text, NULL AS t_run FROM audit_log a`;

export function auditRepo(db: Db) {
  const has = (table: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?").get(table) !== undefined;
  const withText = has('audit_text');
  const from = withText ? WITH_TEXT : WITHOUT_TEXT;
  const head = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare<[Row]>(
    withText
      ? `INSERT INTO audit_log (seq, at, actor_id, actor, host, action, entity, entity_id, detail, prev_hash, hash, hash_form, text_digest)
         VALUES (@seq, @at, @actor_id, @actor, @host, @action, @entity, @entity_id, @detail, @prev_hash, @hash, @hash_form, @text_digest)`
      : `INSERT INTO audit_log (seq, at, actor_id, actor, host, action, entity, entity_id, detail, prev_hash, hash)
         VALUES (@seq, @at, @actor_id, @actor, @host, @action, @entity, @entity_id, @detail, @prev_hash, @hash)`,
  );
  const insertText = withText ? db.prepare('INSERT INTO audit_text (seq, case_id, salt, text) VALUES (?, ?, ?, ?)') : null;
  const page = db.prepare<[number, number], RowWithText>(`${from} WHERE a.seq < ? ORDER BY a.seq DESC LIMIT ?`);
  const pageByAction = db.prepare<[string, number, number], RowWithText>(`${from} WHERE a.action = ? AND a.seq < ? ORDER BY a.seq DESC LIMIT ?`);
  const all = db.prepare<[], RowWithText>(`${from} ORDER BY a.seq`);
  const runs = has('erasure_runs') ? db.prepare<[], { id: number; manifest_sha256: string | null }>('SELECT id, manifest_sha256 FROM erasure_runs') : null;
  const hashAt = db.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?');
  // People know a case by its number and lender, not its row id: one lookup per page (the number survives an erasure).
  const caseRefs = has('cases')
    ? db.prepare<[string], { id: number; case_no: string; code: string }>(
        'SELECT c.id, c.case_no, l.code FROM cases c JOIN lenders l ON l.id = c.lender_id WHERE c.id IN (SELECT value FROM json_each(?))',
      )
    : null;
  const lenderRefs = has('lenders')
    ? db.prepare<[string], { id: number; code: string; name: string }>('SELECT id, code, name FROM lenders WHERE id IN (SELECT value FROM json_each(?))')
    : null;
  const withRefs = (entries: AuditEntry[]): AuditEntry[] => {
    const caseOf = new Map<number, number>();
    const lenderOf = new Map<number, number>();
    for (const e of entries) {
      const c = auditCaseOf(e.action, e.entity, e.entityId, e.detail);
      if (typeof c === 'number') caseOf.set(e.seq, c);
      if (e.entity === 'lender' && e.entityId !== null && /^\d+$/.test(e.entityId)) lenderOf.set(e.seq, Number(e.entityId));
    }
    const cases = new Map((caseOf.size && caseRefs ? caseRefs.all(JSON.stringify([...new Set(caseOf.values())])) : []).map((r) => [r.id, r]));
    const lenders = new Map((lenderOf.size && lenderRefs ? lenderRefs.all(JSON.stringify([...new Set(lenderOf.values())])) : []).map((r) => [r.id, r]));
    return entries.map((e) => {
      const c = cases.get(caseOf.get(e.seq) ?? 0);
      const l = lenders.get(lenderOf.get(e.seq) ?? 0);
      return { ...e, ...(c ? { caseRef: { caseNo: c.case_no, lenderCode: c.code } } : {}), ...(l ? { lenderRef: { code: l.code, name: l.name } } : {}) };
    });
  };

  return {
    /** Appends one entry chained to the current head. Call inside the transaction of the change it records. */
    append(e: AuditInput): AuditEntry {
      const h = head.get();
      const seq = (h?.seq ?? 0) + 1;
      // An entry about a case keeps its free text out of the chain (erasable); any other entry as written.
      const caseId = auditCaseOf(e.action, e.entity, e.entityId, e.detail);
      const split = caseId === undefined || !insertText ? null : splitAuditDetail(e.detail);
      let text: { salt: Buffer; json: string } | null = null;
      if (split?.text) text = { salt: randomBytes(16), json: JSON.stringify(split.text) };
      const base = {
        seq,
        at: e.at,
        actor_id: e.actorId,
        actor: e.actor,
        host: e.host,
        action: e.action,
        entity: e.entity,
        entity_id: e.entityId,
        detail: JSON.stringify(split ? split.kept : e.detail),
        prev_hash: h?.hash ?? GENESIS_HASH,
        hash_form: insertText ? 2 : 1,
        text_digest: text ? textDigest(text.salt, text.json) : null,
      };
      const row = { ...base, hash: entryHash(base) };
      insert.run(row);
      if (text) insertText!.run(seq, caseId ?? null, text.salt, text.json);
      return toEntry({ ...row, t_seq: text ? seq : null, t_salt: text?.salt ?? null, t_text: text?.json ?? null, t_run: null });
    },
    list(opts: { limit: number; beforeSeq?: number | undefined; action?: string | undefined }): AuditEntry[] {
      const before = opts.beforeSeq ?? Number.MAX_SAFE_INTEGER;
      const rows = opts.action ? pageByAction.all(opts.action, before, opts.limit) : page.all(before, opts.limit);
      return withRefs(rows.map(toEntry));
    },
    headHash: (): string => head.get()?.hash ?? GENESIS_HASH,
    /** The newest entry's number and hash (0 and the genesis hash for an empty log): what the anchor records. */
    head: (): { seq: number; hash: string } => head.get() ?? { seq: 0, hash: GENESIS_HASH },
    hashAt: (seq: number): string | null => (seq === 0 ? GENESIS_HASH : (hashAt.get(seq)?.hash ?? null)),
    /**
     * Walks the whole chain; reports the first entry whose link or hash does not match, or (form 2) whose free
     * text is missing or changed. Text an erasure cleared is counted per erasure run, not a break.
     */
    verify(): AuditVerify {
      let prevHash = GENESIS_HASH;
      let expectSeq = 1;
      let checked = 0;
      const erased = new Map<number, { entries: number; first: number }>();
      const broken = (seq: number, reason: string): AuditVerify => ({ ok: false, checked, headHash: prevHash, brokenAt: { seq, reason } });
      for (const r of all.iterate()) {
        if (r.seq !== expectSeq) return broken(r.seq, `entries ${expectSeq}–${r.seq - 1} are missing`);
        if (r.prev_hash !== prevHash) return broken(r.seq, 'link to the previous entry does not match');
        const { hash, t_seq, t_salt, t_text, t_run, ...rest } = r;
        if (entryHash(rest) !== hash) return broken(r.seq, 'entry content does not match its hash');
        if (r.hash_form === 2 && r.text_digest != null) {
          if (t_seq === null) return broken(r.seq, 'its free text is missing (not by an erasure)');
          if (t_text === null) {
            if (t_run === null) return broken(r.seq, 'its free text was cleared without an erasure run');
            const n = erased.get(t_run);
            if (n) n.entries++;
            else erased.set(t_run, { entries: 1, first: r.seq });
          } else if (t_salt === null || textDigest(t_salt, t_text) !== r.text_digest) return broken(r.seq, 'its free text does not match the digest in the entry');
        }
        prevHash = hash;
        expectSeq++;
        checked++;
      }
      const certified = new Map((runs?.all() ?? []).map((x) => [x.id, x.manifest_sha256]));
      for (const [run, n] of erased) if (!certified.has(run)) return broken(n.first, `its free text was cleared by erasure run ${run}, which does not exist`);
      const textErased = [...erased].sort((a, b) => a[0] - b[0]).map(([runId, n]) => ({ runId, entries: n.entries, manifestSha256: certified.get(runId) ?? null }));
      return { ok: true, checked, headHash: prevHash, brokenAt: null, textErased };
    },
  };
}
