// Child process for test/integration/memtemp.test.ts: creates a store in argv[2] with openEncrypted and
// prints its temp_store (1 = FILE, through memtemp; 2 = MEMORY) as this process's environment decides.
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openEncrypted } from '../../db/open.js';

const db = openEncrypted(path.join(process.argv[2]!, 'agency.db'), randomBytes(32), { create: true });
console.log(JSON.stringify({ tempStore: db.pragma('temp_store', { simple: true }) }));
db.close();
