// The rotation rule: newest per day for N days, newest per ISO week for M weeks, never the newest one.
import { describe, it, expect } from 'vitest';
import { rotate, riskyPath } from '../../shared/domain/backup-rotation.js';
import { backupName, backupTime } from '../../db/backup.js';

const at = (iso: string) => ({ name: backupName(new Date(iso)), at: new Date(iso) });

describe('backup rotation', () => {
  it('keeps the newest of each of the last N days and of each of the last M weeks', () => {
    // 60 days of backups, two a day (02:00 and 14:00), ending Sunday 2026-03-01.
    const all = [];
    for (let d = 0; d < 60; d++) {
      const day = new Date(Date.UTC(2026, 2, 1) - d * 86_400_000).toISOString().slice(0, 10);
      all.push(at(`${day}T02:00:00Z`), at(`${day}T14:00:00Z`));
    }
    const { keep, remove } = rotate(all, { daily: 7, weekly: 4 });
    expect(keep.length + remove.length).toBe(120);
    const kept = keep.map((k) => k.at.toISOString()).sort();
    // 7 daily: 14:00 of 2026-02-23 … 2026-03-01. 4 weekly (Monday–Sunday): the current week's newest is
    // 2026-03-01 14:00 (already kept), then the Sundays' 14:00 of the three weeks before.
    expect(kept).toEqual([
      '2026-02-08T14:00:00.000Z',
      '2026-02-15T14:00:00.000Z',
      '2026-02-22T14:00:00.000Z',
      '2026-02-23T14:00:00.000Z',
      '2026-02-24T14:00:00.000Z',
      '2026-02-25T14:00:00.000Z',
      '2026-02-26T14:00:00.000Z',
      '2026-02-27T14:00:00.000Z',
      '2026-02-28T14:00:00.000Z',
      '2026-03-01T14:00:00.000Z',
    ]);
  });

  it('counts days and weeks that have a backup, not calendar days: a gap keeps older ones', () => {
    const all = [at('2026-01-01T01:00:00Z'), at('2026-01-20T01:00:00Z'), at('2026-03-01T01:00:00Z')];
    expect(rotate(all, { daily: 2, weekly: 0 }).remove.map((r) => r.at.toISOString())).toEqual(['2026-01-01T01:00:00.000Z']);
    expect(rotate(all, { daily: 1, weekly: 0 }).keep).toHaveLength(1);
    // Never the newest, even with nothing to keep.
    expect(rotate(all, { daily: 0, weekly: 0 }).keep.map((k) => k.name)).toEqual([all[2]!.name]);
    expect(rotate([], { daily: 3, weekly: 3 })).toEqual({ keep: [], remove: [] });
  });

  it('reads the time back from the file name, and nothing else', () => {
    const t = new Date('2026-12-07T01:15:09.345Z');
    expect(backupTime(backupName(t))?.toISOString()).toBe('2026-12-07T01:15:09.000Z');
    expect(backupTime('.agencydesk-20261207T011509Z.agencydesk-backup.123.partial')).toBeNull();
    expect(backupTime('notes.txt')).toBeNull();
  });

  it('tells a cloud-sync folder or a UNC path from a local one', () => {
    expect(riskyPath('C:\\Users\\li\\OneDrive\\AgencyDesk\\store')).toBe('cloud-sync');
    expect(riskyPath('/Users/li/Library/Mobile Documents/com~apple~CloudDocs/store')).toBe('cloud-sync');
    expect(riskyPath('D:\\坚果云\\store')).toBe('cloud-sync');
    expect(riskyPath('/home/li/Dropbox/store')).toBe('cloud-sync');
    expect(riskyPath('\\\\nas\\share\\store')).toBe('network');
    expect(riskyPath('/home/li/.config/AgencyDesk/store')).toBeNull();
  });
});
