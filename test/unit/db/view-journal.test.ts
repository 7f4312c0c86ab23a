// The view journal's file (db/view-journal.ts): records come back in order and sealed; what a crash can leave
// (a torn first or last write) holds nothing acknowledged and is cut off, not reported as damage; a damaged
// file is reported under a generation of its own.
import { describe, it, expect, afterAll } from 'vitest';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ViewJournal, type JournaledView } from '../../../db/view-journal.js';
import { removeDir, tempDir } from '../../helpers/store.js';

const dir = tempDir('agencydesk-view-journal-');
afterAll(() => removeDir(dir));
const key = randomBytes(32);
const view = (n: number): JournaledView => ({ at: `2026-12-07T02:00:0${n}.000Z`, actorId: 2, actor: 'wang', host: 'server@pc', caseId: 100 + n, caseNo: `ZA-${n}` });
let k = 0;
const file = () => path.join(dir, `views-${k++}.journal`);

describe('view journal file', () => {
  it('gives back the records in order, across a reopen, and starts a new generation after removal', () => {
    const f = file();
    const j = new ViewJournal(f, key);
    expect(j.pending).toBe(false);
    j.append(view(1));
    j.append(view(2));
    const again = new ViewJournal(f, key);
    again.append(view(3));
    const first = new ViewJournal(f, key).read()!;
    expect(first.views).toEqual([view(1), view(2), view(3)]);
    expect(first.unreadable).toBe(0);
    again.remove();
    expect(existsSync(f)).toBe(false);
    again.append(view(4));
    const second = again.read()!;
    expect(second.views).toEqual([view(4)]);
    expect(second.generation).not.toBe(first.generation);
  });

  it('cuts off a torn last record and removes a file whose first write was torn: nothing reported as damage', () => {
    const f = file();
    new ViewJournal(f, key).append(view(1));
    appendFileSync(f, 'QUJD'); // a second record cut short by a crash (no newline)
    const j = new ViewJournal(f, key);
    expect(j.read()).toMatchObject({ views: [view(1)], unreadable: 0 });
    j.append(view(2)); // written after the cut, not glued to the torn bytes
    expect(j.read()).toMatchObject({ views: [view(1), view(2)], unreadable: 0 });
    const g = file();
    writeFileSync(g, 'agencydesk-views/1 5c1e'); // the first write torn inside the header
    const h = new ViewJournal(g, key);
    expect(existsSync(g)).toBe(false);
    expect(h.pending).toBe(false);
  });

  it('reports a record moved, altered or under another key, and a damaged header under a generation of its own', () => {
    const f = file();
    const j = new ViewJournal(f, key);
    for (const n of [1, 2, 3]) j.append(view(n));
    const lines = readFileSync(f, 'utf8').split('\n');
    writeFileSync(f, [lines[0], lines[2], lines[1], lines[3], ''].join('\n')); // two records swapped
    expect(new ViewJournal(f, key).read()).toMatchObject({ views: [view(3)], unreadable: 2 });
    expect(new ViewJournal(f, randomBytes(32)).read()).toMatchObject({ views: [], unreadable: 3 });
    writeFileSync(f, ['not a journal', lines[1], ''].join('\n'));
    const a = new ViewJournal(f, key).read()!;
    expect(a).toMatchObject({ views: [], unreadable: 1 });
    writeFileSync(f, ['not a journal either', lines[1], ''].join('\n'));
    expect(new ViewJournal(f, key).read()!.generation).not.toBe(a.generation);
  });
});
