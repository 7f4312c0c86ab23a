// Migration 012: lenders of an existing store keep accruing what they accrued (the former built-in default
// is written into their terms), those whose terms nobody entered are marked "not set", and a lender added
// afterwards starts with no charges.
import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate, MIGRATIONS } from '../../../db/migrations/index.js';
import { lenderTerms } from '../../../core/money/ledger.js';
import { DEFAULT_TERMS, NO_CHARGES, balanceOn } from '../../../shared/domain/money/balance.js';

describe('migration 012', () => {
  it('keeps existing balances, records which lenders were on the default, and indexes the outstanding key', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.filter((m) => m.version <= 10));
    const own = { ...DEFAULT_TERMS, penaltyPpmPerDay: 1000, aprCapPpm: null, lateFee: { kind: 'fixed', fen: 3000 } };
    const add = db.prepare("INSERT INTO lenders (code, name, default_terms, created_at, updated_at) VALUES (?, ?, ?, '2026-01-01', '2026-01-01')");
    add.run('OLD', '默认', '{}');
    add.run('OWN', '自定', JSON.stringify(own));
    migrate(db);
    const rows = db.prepare('SELECT code, terms_set, default_terms FROM lenders ORDER BY code').all() as { code: string; terms_set: number; default_terms: string }[];
    const old = rows.find((r) => r.code === 'OLD')!;
    const mine = rows.find((r) => r.code === 'OWN')!;
    expect(old.terms_set).toBe(0);
    expect(mine.terms_set).toBe(1);
    // What each lender's cases accrue is what they accrued before (then: stored JSON over DEFAULT_TERMS).
    expect(lenderTerms(old.default_terms)).toEqual({ ...DEFAULT_TERMS });
    expect(lenderTerms(mine.default_terms)).toEqual({ ...DEFAULT_TERMS, ...own });
    const opening = { date: '2026-01-01', owed: { principal: 1_000_000, interest: 0, penalty: 0, fees: 0 } };
    expect(balanceOn(lenderTerms(old.default_terms), opening, [], '2026-03-01').outstanding).toBe(balanceOn(DEFAULT_TERMS, opening, [], '2026-03-01').outstanding);
    // A lender added now: nothing set, nothing accrues.
    add.run('NEW', '新', '{}');
    const fresh = db.prepare("SELECT terms_set, default_terms FROM lenders WHERE code = 'NEW'").get() as { terms_set: number; default_terms: string };
    expect(fresh.terms_set).toBe(0);
    expect(lenderTerms(fresh.default_terms)).toEqual({ ...NO_CHARGES });
    // The list's amount sorts through the index on the outstanding key.
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT id FROM cases c ORDER BY coalesce(c.outstanding_fen, c.placement_amount_fen, c.overdue_amount_fen) DESC LIMIT 50').all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/INDEX cases_amount\b/);
    const byLender = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM cases c WHERE c.lender_id = 1 AND c.bucket = 'M1' ORDER BY coalesce(c.outstanding_fen, c.placement_amount_fen, c.overdue_amount_fen) DESC LIMIT 50").all() as { detail: string }[];
    expect(byLender.map((p) => p.detail).join(' ')).toMatch(/INDEX cases_lender_bucket\b/);
    expect(byLender.map((p) => p.detail).join(' ')).not.toMatch(/TEMP B-TREE/);
    db.close();
  });
});
