// Migration 011 repairs stored amounts whose components do not sum to the placed total (the state issue 15
// found: 逾期金额 1,000.00 with 逾期本金 300.00 / 逾期利息 100.00 / 罚息 50.00 stored as given).
import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { up } from '../../../db/migrations/011_amount_model.js';

describe('migration 011', () => {
  it('sets principal := total − interest − penalty − fees where the components disagree and that is ≥ 0', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE lenders (id INTEGER PRIMARY KEY, reject_policy TEXT);
      CREATE TABLE cases (id INTEGER PRIMARY KEY, overdue_amount_fen INTEGER NOT NULL, placement_amount_fen INTEGER, overdue_principal_fen INTEGER,
        overdue_interest_fen INTEGER, overdue_penalty_fen INTEGER, overdue_late_fee_fen INTEGER);
      INSERT INTO lenders (id) VALUES (1);
      INSERT INTO cases VALUES (1, 100000, NULL, 30000, 10000, 5000, NULL);  -- the issue's case
      INSERT INTO cases VALUES (2, 45000, NULL, 30000, 10000, 5000, NULL);   -- agrees
      INSERT INTO cases VALUES (3, 10000, NULL, 3000, 8000, 5000, NULL);     -- charges exceed the total: left
      INSERT INTO cases VALUES (4, 90000, 100000, 50000, 10000, NULL, 2000); -- the placement amount is the total
      INSERT INTO cases VALUES (5, 60000, NULL, NULL, 10000, NULL, NULL);    -- no principal: the ledger derives it`);
    db.exec(up);
    const rows = db.prepare('SELECT id, overdue_principal_fen AS p FROM cases ORDER BY id').all();
    expect(rows).toEqual([
      { id: 1, p: 85000 }, { id: 2, p: 30000 }, { id: 3, p: 3000 }, { id: 4, p: 88000 }, { id: 5, p: null },
    ]);
    expect(db.prepare('SELECT amount_mismatch_policy AS p FROM lenders').get()).toEqual({ p: 'principal_difference' });
    db.close();
  });
});
