// A process that writes the owed search rows (db/repos/case-search.ts) as the import worker does after its
// COMMIT, slowly (small chunks, long pauses), so that a test can kill it -9 between two of its transactions.
// argv: store dir, recovery key, cases per transaction, pause ms.
import { rawOpen } from './store.js';
import { writePendingCaseSearch } from '../../db/repos/case-search.js';

const [dir, recoveryKey, chunk, pause] = process.argv.slice(2);
const db = rawOpen(dir!, recoveryKey!);
process.stdout.write('open\n');
writePendingCaseSearch(db, { chunkCases: Number(chunk), pauseMs: Number(pause) });
db.close();
process.stdout.write('done\n');
