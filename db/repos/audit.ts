// The audit log: append-only (triggers refuse UPDATE/DELETE) and hash-chained, so edits and gaps show.
import { createHash } from 'node:crypto';
import type { Db } from '../open.js';
import type { AuditEntry, AuditVerify } from '../../shared/contract/models.js';

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
}

export function entryHash(r: Omit<Row, 'hash'>): string {
  const canonical = JSON.stringify([r.seq, r.at, r.actor_id, r.actor, r.host, r.action, r.entity, r.entity_id, r.detail, r.prev_hash]);
  return createHash('sha256').update(canonical).digest('hex');
}

const toEntry = (r: Row): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  actorId: r.actor_id,
  actor: r.actor,
  host: r.host,
  action: r.action,
  entity: r.entity,
  entityId: r.entity_id,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
  hash: r.hash,
});

export function auditRepo(db: Db) {
  const head = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare<[Row]>(
    `INSERT INTO audit_log (seq, at, actor_id, actor, host, action, entity, entity_id, detail, prev_hash, hash)
     VALUES (@seq, @at, @actor_id, @actor, @host, @action, @entity, @entity_id, @detail, @prev_hash, @hash)`,
  );
  const page = db.prepare<[number, number], Row>('SELECT * FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?');
  const pageByAction = db.prepare<[string, number, number], Row>(
    'SELECT * FROM audit_log WHERE action = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
  );
  const all = db.prepare<[], Row>('SELECT * FROM audit_log ORDER BY seq');
  const hashAt = db.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?');

  return {
    /** Appends one entry chained to the current head. Call inside the transaction of the change it records. */
    append(e: AuditInput): AuditEntry {
      const h = head.get();
      const base = {
        seq: (h?.seq ?? 0) + 1,
        at: e.at,
        actor_id: e.actorId,
        actor: e.actor,
        host: e.host,
        action: e.action,
        entity: e.entity,
        entity_id: e.entityId,
        detail: JSON.stringify(e.detail),
        prev_hash: h?.hash ?? GENESIS_HASH,
      };
      const row = { ...base, hash: entryHash(base) };
      insert.run(row);
      return toEntry(row);
    },
    list(opts: { limit: number; beforeSeq?: number | undefined; action?: string | undefined }): AuditEntry[] {
      const before = opts.beforeSeq ?? Number.MAX_SAFE_INTEGER;
      const rows = opts.action ? pageByAction.all(opts.action, before, opts.limit) : page.all(before, opts.limit);
      return rows.map(toEntry);
    },
    headHash: (): string => head.get()?.hash ?? GENESIS_HASH,
    /** The newest entry's number and hash (0 and the genesis hash for an empty log): what the anchor records. */
    head: (): { seq: number; hash: string } => head.get() ?? { seq: 0, hash: GENESIS_HASH },
    hashAt: (seq: number): string | null => (seq === 0 ? GENESIS_HASH : (hashAt.get(seq)?.hash ?? null)),
    /** Walks the whole chain; reports the first entry whose link or hash does not match. */
    verify(): AuditVerify {
      let prevHash = GENESIS_HASH;
      let expectSeq = 1;
      let checked = 0;
      for (const r of all.iterate()) {
        if (r.seq !== expectSeq) return { ok: false, checked, headHash: prevHash, brokenAt: { seq: r.seq, reason: `entries ${expectSeq}–${r.seq - 1} are missing` } };
        if (r.prev_hash !== prevHash) return { ok: false, checked, headHash: prevHash, brokenAt: { seq: r.seq, reason: 'link to the previous entry does not match' } };
        const { hash, ...rest } = r;
        if (entryHash(rest) !== hash) return { ok: false, checked, headHash: prevHash, brokenAt: { seq: r.seq, reason: 'entry content does not match its hash' } };
        prevHash = hash;
        expectSeq++;
        checked++;
      }
      return { ok: true, checked, headHash: prevHash, brokenAt: null };
    },
  };
}
