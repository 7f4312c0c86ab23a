// Numbered, forward-only migrations. Append a new file and a line here; never edit a released one.
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { ApiFailure } from '../../shared/contract/failure.js';
import * as m001 from './001_foundation.js';
import * as m002 from './002_placements.js';
import * as m003 from './003_assignment.js';
import * as m004 from './004_casework.js';
import * as m005 from './005_message_templates.js';
import * as m006 from './006_case_files.js';
import * as m007 from './007_money.js';
import * as m008 from './008_reports.js';
import * as m010 from './010_recurring_promises.js';
import * as m011 from './011_amount_model.js';
import * as m009 from './009_dashboard_indexes.js';
import * as m012 from './012_balance_terms.js';
import * as m014 from './014_search_calltimes.js';
import * as m015 from './015_complaints_flags.js';
import * as m016 from './016_targets.js';
import * as m017 from './017_dashboard_summary.js';
import * as m019 from './019_audit_refs.js';
import * as m020 from './020_privacy.js';
import * as m018 from './018_signing_lock.js';
import * as m021 from './021_user_prefs.js';
import * as m022 from './022_audit_text.js';
import * as m023 from './023_more_audit_refs.js';
import * as m024 from './024_assignment_pending.js';
import * as m025 from './025_collector_cases.js';
import * as m026 from './026_case_loading.js';

export interface Migration {
  version: number;
  name: string;
  up: string;
}

export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'foundation', up: m001.up },
  { version: 2, name: 'placements', up: m002.up + m002.upIndexes },
  { version: 3, name: 'assignment', up: m003.up },
  { version: 4, name: 'casework', up: m004.up },
  { version: 5, name: 'message templates', up: m005.up },
  { version: 6, name: 'case files', up: m006.up },
  { version: 7, name: 'money', up: m007.up },
  { version: 8, name: 'reports', up: m008.up },
  { version: 9, name: 'dashboard indexes', up: m009.up },
  { version: 10, name: 'recurring promises', up: m010.up },
  { version: 11, name: 'amount model', up: m011.up },
  { version: 12, name: 'balance and terms', up: m012.up },
  { version: 14, name: 'search and call times', up: m014.up },
  { version: 15, name: 'complaints and flags', up: m015.up },
  { version: 16, name: 'recovery targets', up: m016.up },
  { version: 17, name: 'dashboard summary tables', up: m017.up },
  { version: 18, name: 'signing key lock', up: m018.up },
  { version: 19, name: 'row and audit references', up: m019.up },
  { version: 20, name: 'privacy: retention and erasure', up: m020.up },
  { version: 21, name: 'user preferences', up: m021.up },
  { version: 22, name: 'erasable audit text', up: m022.up },
  { version: 23, name: 'more row and audit references', up: m023.up },
  { version: 24, name: 'chunked assignment writes', up: m024.up },
  { version: 25, name: "each collector's cases", up: m025.up },
  { version: 26, name: 'placement loads in parts', up: m026.up },
];
export const LATEST_SCHEMA = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the store up to LATEST_SCHEMA, each step in its own transaction; refuses a newer store. */
export function migrate(db: Database, migrations: Migration[] = MIGRATIONS): { from: number; to: number } {
  const from = schemaVersion(db);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (from > latest) {
    throw new ApiFailure(
      'STORE_TOO_NEW',
      `This store was written by a newer AgencyDesk (schema ${from}; this version knows up to ${latest}). Install the newer AgencyDesk to open it.`,
    );
  }
  for (const m of migrations) {
    if (m.version <= from) continue;
    db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${Math.trunc(m.version)}`);
    })();
  }
  return { from, to: schemaVersion(db) };
}
