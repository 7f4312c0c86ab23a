// Views of cases recorded while another connection holds the write lock (core/privacy/view-journal.ts): a file
// in the store folder, one sealed record per line, each written and fsync'd before the case is shown, moved
// into the audit log once the lock is free.
//
// Line 1 names the file's generation (a random id); every other line is base64(iv ‖ tag ‖ AES-256-GCM of
// the record's JSON), authenticated with the generation and the record's number, so no record can be moved,
// dropped from the middle or carried into another file unnoticed. The key is the store's own (kept in the
// encrypted store, so it survives a master-key change), never written here.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { fsyncDir } from './atomic-file.js';

const MAGIC = 'agencydesk-views/1';

export interface JournaledView {
  at: string;
  actorId: number;
  actor: string;
  host: string;
  caseId: number;
  caseNo: string;
}

export interface JournalContents {
  generation: string;
  views: JournaledView[];
  /** Records that could not be read: damage (a torn last line, never acknowledged, is cut off at open). */
  unreadable: number;
}

const aad = (generation: string, n: number) => Buffer.from(`${generation}:${n}`);

export class ViewJournal {
  private count = 0;
  private generation: string | null = null;

  constructor(
    readonly file: string,
    private readonly key: Buffer,
  ) {
    if (key.length !== 32) throw new Error('view journal key must be 32 bytes');
    // A record cut short by a crash was never acknowledged (the case was not shown): cut it off. A file left
    // without its whole first line (the first record's write torn) holds nothing acknowledged: removed.
    if (existsSync(file)) {
      const text = readFileSync(file);
      const end = text.lastIndexOf(0x0a) + 1;
      if (end === 0) rmSync(file, { force: true });
      else if (end < text.length) truncateSync(file, end);
    }
    const now = this.read();
    if (now) [this.generation, this.count] = [now.generation, now.views.length + now.unreadable];
  }

  /** Whether records are waiting to be moved into the audit log. */
  get pending(): boolean {
    return this.generation !== null;
  }

  /** Writes one record and fsyncs it (and the folder, for a new file) before answering. */
  append(view: JournaledView): void {
    // A new generation starts a new file (truncating whatever a failed removal left: all of it was moved).
    const fresh = this.generation === null || !existsSync(this.file);
    if (fresh) {
      this.generation = randomUUID();
      this.count = 0;
    }
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(aad(this.generation!, this.count));
    const body = Buffer.concat([c.update(JSON.stringify(view), 'utf8'), c.final()]);
    const line = `${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}\n`;
    const bytes = Buffer.from(fresh ? `${MAGIC} ${this.generation}\n${line}` : line);
    const size = fresh ? 0 : statSync(this.file).size;
    const fd = openSync(this.file, fresh ? 'w' : 'a', 0o600);
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
      fsyncSync(fd);
    } catch (e) {
      // Half a line would spoil the next record (acknowledged): back to where this one began.
      try {
        truncateSync(this.file, size);
      } catch {
        /* the error below is what the caller sees */
      }
      throw e;
    } finally {
      closeSync(fd);
    }
    if (fresh) fsyncDir(path.dirname(this.file));
    this.count += 1;
  }

  /** The file's records in order, or null when there is none. */
  read(): JournalContents | null {
    if (!existsSync(this.file)) return null;
    const lines = readFileSync(this.file, 'utf8').split('\n');
    const [magic, generation] = (lines[0] ?? '').split(' ');
    // A damaged header: its own generation (from the bytes), so it is named once and never taken for another file.
    if (magic !== MAGIC || !generation) {
      return { generation: `damaged:${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 32)}`, views: [], unreadable: Math.max(1, lines.filter(Boolean).length - 1) };
    }
    const views: JournaledView[] = [];
    let unreadable = 0;
    lines.slice(1).forEach((line, n) => {
      if (!line) return;
      try {
        const raw = Buffer.from(line, 'base64');
        if (raw.length < 29) throw new Error('short record');
        const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12), { authTagLength: 16 });
        d.setAAD(aad(generation, n));
        d.setAuthTag(raw.subarray(12, 28));
        views.push(JSON.parse(Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8')) as JournaledView);
      } catch {
        unreadable += 1;
      }
    });
    return { generation, views, unreadable };
  }

  /** Removes the file once its records are in the audit log; the next record starts a new generation. */
  remove(): void {
    // Forgotten first: should the removal fail, the next record still starts a new file ('w').
    this.generation = null;
    this.count = 0;
    rmSync(this.file, { force: true });
    fsyncDir(path.dirname(this.file));
  }
}
