// Child process for test/integration/memtemp.test.ts: sorts more rows than the page cache holds, with
// temp_store=FILE, and looks at this process's open files while the sort's runs are open. argv[2]: 'plain'
// (SQLite3 Multiple Ciphers' VFS, as without memtemp) or the path of agencydesk_memtemp.node; with argv[3]
// 'late', it only says whether memtemp serves a connection opened before it loaded, and one opened after.
// Prints JSON: { sortedOk, tempFds, memFiles }.
import { readdirSync, readlinkSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';

const ext = process.argv[2] === 'plain' ? null : process.argv[2];
if (process.argv[3] === 'late') {
  // A connection opened before memtemp became the default VFS: its temporary files do not go through it.
  const early = new Database(':memory:');
  early.loadExtension(ext, 'sqlite3_memtemp_init');
  const later = new Database(':memory:');
  const serves = (d) => (d.loadExtension(ext, 'sqlite3_memtemp_init'), d.prepare('SELECT memtemp_serves() AS s').get().s);
  console.log(JSON.stringify({ early: serves(early), later: serves(later) }));
  process.exit(0);
}
if (ext) {
  const boot = new Database(':memory:');
  boot.loadExtension(ext, 'sqlite3_memtemp_init');
  boot.close();
}
const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-temp-probe-'));
try {
  const db = new Database(path.join(dir, 'probe.db'));
  if (ext) db.loadExtension(ext, 'sqlite3_memtemp_init'); // memtemp_stats() on this connection
  db.pragma('temp_store = FILE');
  db.pragma('cache_size = -64');
  db.exec('CREATE TABLE t (x TEXT)');
  const values = Array.from({ length: 30_000 }, (_, i) => `${(i * 7919) % 30_011}-身份证-${i}`);
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  db.transaction(() => values.forEach((v) => insert.run(v)))();
  // SQLite's temporary files are unlinked at once: /proc shows them as "…/etilqs_… (deleted)".
  const tempFds = () => readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).includes('etilqs_');
    } catch {
      return false;
    }
  }).length;
  let seen = -1;
  const sorted = [];
  for (const row of db.prepare('SELECT x FROM t ORDER BY x').iterate()) {
    if (seen < 0) seen = tempFds(); // the sorter's runs are open now
    sorted.push(row.x);
  }
  const expected = [...values].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
  const memFiles = ext ? JSON.parse(db.prepare('SELECT memtemp_stats() AS s').get().s).opened : 0;
  console.log(JSON.stringify({ sortedOk: sorted.join('\n') === expected.join('\n'), tempFds: seen, memFiles }));
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
