// Casework settings and evidence on a real store: the agency's own outcome codes (counted by their class
// in the guardrails and the report; disabled codes refused for new entries, old entries still readable),
// a rendered letter filed with its case (exactly what was previewed, with its SHA-256, audited), and the
// web host's test clock (never on other hosts, recorded at login, the guardrails judge its time).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, ADMIN_PASSWORD, type TestStore, type Client } from '../helpers/store.js';
import { importFile } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { createBackend } from '../../core/backend.js';
import { parseTestClock } from '../../core/test-clock.js';
import { SERVER } from '../helpers/web-host.js';

const PW = 'casework pw 12';
let s: TestStore;
let files: string;
const as: Record<string, Client> = {};
const ids: Record<string, number> = {};
let cases: number[] = [];
let clock = new Date('2026-11-23T10:00:00+08:00');

const phone = (caseId: number, outcome: string, extra: Record<string, unknown> = {}) => ({ caseId, channel: 'phone' as const, outcome, ...extra });
const CALLBACK = { code: 'callback_agreed', labels: { 'zh-CN': '约定回电', en: 'Agreed to call back' }, class: 'connected' as const, active: true };

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-casework-config-');
  const lender = (await s.admin.call('lenders.create', { code: 'PAYD', name: '平安i贷' })).id;
  for (const [u, role] of [['c1', 'collector'], ['c2', 'collector'], ['m1', 'manager'], ['au', 'auditor']] as const) {
    ids[u] = (await s.admin.call('users.create', { username: u, displayName: u.toUpperCase(), role, password: PW })).id;
    as[u] = await login(s.backend, u, PW);
  }
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(6, 31)]));
  expect((await importFile(s.admin, lender, file)).state).toBe('done');
  cases = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows.map((r) => r.id);
  await s.admin.call('assign.manual', { caseIds: cases.slice(0, 5), collectorId: ids.c1! });
  await s.admin.call('assign.manual', { caseIds: cases.slice(5), collectorId: ids.c2! });
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('outcome codes', () => {
  it('start as the ten built-in codes with labels and classes; everyone who reads cases reads them, only managers change them', async () => {
    const { outcomes } = await as.au!.call('outcomes.list', {});
    expect(outcomes.map((o) => o.code)).toEqual(['connected', 'no_answer', 'busy', 'wrong_number', 'number_invalid', 'refused', 'promised_to_pay', 'disputed', 'hardship_claimed', 'third_party_refused']);
    expect(outcomes.find((o) => o.code === 'wrong_number')).toMatchObject({ class: 'failed', builtIn: true, active: true, labels: { 'zh-CN': '号码错误', en: 'Wrong number' }, used: 0 });
    expect(await as.c1!.error('outcomes.save', { ...CALLBACK, create: true })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.au!.error('outcomes.save', { ...CALLBACK, create: true })).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses bad codes and changes with a clear reason', async () => {
    expect(await as.m1!.error('outcomes.save', { ...CALLBACK, code: 'Call Back', create: true })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('lower-case letters') });
    expect(await as.m1!.error('outcomes.save', { ...CALLBACK, labels: { 'zh-CN': ' ', en: 'x' }, create: true })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('a label is required') });
    expect(await as.m1!.error('outcomes.save', { ...CALLBACK, class: 'maybe', create: true })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await as.m1!.error('outcomes.save', { code: 'busy', labels: { 'zh-CN': '占线', en: 'Busy' }, class: 'connected', active: true })).toMatchObject({
      code: 'BAD_INPUT',
      message: 'The class of the built-in outcome busy is fixed (unanswered): the guardrails depend on it.',
    });
    expect(await as.m1!.error('outcomes.save', { ...CALLBACK, create: true, code: 'connected' })).toMatchObject({ code: 'CONFLICT' });
    expect(await as.m1!.error('outcomes.save', { ...CALLBACK })).toMatchObject({ code: 'NOT_FOUND', message: 'No outcome code callback_agreed.' });
    expect(await as.m1!.error('outcomes.save', { ...CALLBACK, labels: { 'zh-CN': '已接通', en: 'Call back' }, create: true })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('(connected) already has this label') });
  });

  it('a custom connected outcome counts toward the daily cap of three connected calls, and in the report', async () => {
    await as.m1!.call('outcomes.save', { ...CALLBACK, create: true });
    expect((await s.admin.call('audit.list', { action: 'outcomes.create', limit: 1 })).entries[0]).toMatchObject({ actor: 'm1', entityId: 'callback_agreed' });
    const id = cases[0]!;
    expect((await as.c1!.call('contacts.list', { caseId: id })).outcomes).toContain('callback_agreed');
    await as.c1!.call('contacts.log', phone(id, 'callback_agreed', { durationSec: 40 }));
    await as.c1!.call('contacts.log', phone(id, 'connected'));
    await as.c1!.call('contacts.log', phone(id, 'callback_agreed'));
    expect(await as.c1!.error('contacts.log', phone(id, 'connected'))).toMatchObject({ code: 'COMPLIANCE', violations: [{ rule: 'daily_connected_cap' }] });
    const report = await as.m1!.call('compliance.report', { from: '2026-11-23', to: '2026-11-23' });
    expect(report.rows.find((r) => r.collector === 'c1')).toMatchObject({ attempts: 3, connectedCalls: 3, capReachedDays: 1 });
  });

  it('a custom failed outcome opens the contact persons like a wrong number; an "other" one counts for nothing', async () => {
    await as.m1!.call('outcomes.save', { code: 'line_cut', labels: { 'zh-CN': '通话中断', en: 'Line cut off' }, class: 'failed', active: true, create: true });
    await as.m1!.call('outcomes.save', { code: 'left_message', labels: { 'zh-CN': '已留言', en: 'Left a message' }, class: 'other', active: true, create: true });
    const id = cases[1]!;
    const toContact = { caseId: id, channel: 'phone' as const, party: 'contact' as const, contactSlot: 1 };
    for (let i = 0; i < 2; i++) await as.c1!.call('contacts.log', phone(id, 'line_cut'));
    expect((await as.c1!.call('contacts.check', toContact)).violations.map((v) => v.rule)).toEqual(['third_party_too_early']);
    await as.c1!.call('contacts.log', phone(id, 'line_cut'));
    expect((await as.c1!.call('contacts.check', toContact)).violations).toEqual([]);
    // "Other" ends the run of failures (it is not a failure) and is no connected call either.
    await as.c1!.call('contacts.log', phone(id, 'left_message'));
    expect((await as.c1!.call('contacts.check', toContact)).violations.map((v) => v.rule)).toEqual(['third_party_too_early']);
    for (let i = 0; i < 3; i++) await as.c1!.call('contacts.log', phone(id, 'connected'));
    expect(await as.c1!.error('contacts.log', phone(id, 'connected'))).toMatchObject({ violations: [{ rule: 'daily_connected_cap' }] });
  });

  it('a disabled code is refused for new entries and corrections to it; entries that used it stay readable', async () => {
    const id = cases[2]!;
    const old = await as.c1!.call('contacts.log', phone(id, 'disputed', { note: '称已还清' }));
    const off = await as.m1!.call('outcomes.save', { code: 'disputed', labels: { 'zh-CN': '有异议', en: 'Disputes the debt' }, class: 'connected', active: false });
    expect(off.outcomes.find((o) => o.code === 'disputed')).toMatchObject({ active: false, used: 1, builtIn: true, labels: { 'zh-CN': '有异议' } });
    expect(await as.c1!.error('contacts.log', phone(id, 'disputed'))).toMatchObject({ code: 'BAD_INPUT', message: 'The outcome disputed (Disputes the debt) is disabled: choose another.' });
    expect(await as.c1!.error('contacts.log', phone(id, 'made_up'))).toMatchObject({ code: 'BAD_INPUT', message: 'Unknown outcome made_up.' });
    const list = await as.c1!.call('contacts.list', { caseId: id });
    expect(list.outcomes).not.toContain('disputed');
    expect(list.attempts.find((a) => a.id === old.id)).toMatchObject({ outcome: 'disputed', note: '称已还清' });
    expect((await as.au!.call('outcomes.list', {})).outcomes.find((o) => o.code === 'disputed')?.labels['zh-CN']).toBe('有异议');
    // Correcting the note of an entry keeps its (now disabled) outcome; correcting another entry to it is refused.
    expect(await as.c1!.call('contacts.correct', { attemptId: old.id, note: '补充：借款人出示了转账记录' })).toMatchObject({ outcome: 'disputed', correctsId: old.id });
    const other = await as.c1!.call('contacts.log', phone(id, 'connected'));
    expect(await as.c1!.error('contacts.correct', { attemptId: other.id, outcome: 'disputed', note: 'x' })).toMatchObject({ code: 'BAD_INPUT' });
    // The disabled code still counts by its class (the disputed call and its correction count once).
    expect(await as.c1!.call('contacts.log', phone(id, 'connected'))).toMatchObject({ outcome: 'connected' });
    expect(await as.c1!.error('contacts.log', phone(id, 'connected'))).toMatchObject({ violations: [{ rule: 'daily_connected_cap' }] });
  });

  it('built-in and used codes are never deleted (disable them); an unused own code is', async () => {
    expect(await as.m1!.error('outcomes.delete', { code: 'busy' })).toMatchObject({ code: 'CONFLICT', message: 'busy is a built-in outcome: disable it instead.' });
    expect(await as.m1!.error('outcomes.delete', { code: 'callback_agreed' })).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('used by 2 contact-log entries') });
    expect(await as.m1!.error('outcomes.delete', { code: 'nothing_here' })).toMatchObject({ code: 'NOT_FOUND' });
    await as.m1!.call('outcomes.save', { code: 'spare', labels: { 'zh-CN': '备用', en: 'Spare' }, class: 'other', active: true, create: true });
    const after = await as.m1!.call('outcomes.delete', { code: 'spare' });
    expect(after.outcomes.map((o) => o.code)).not.toContain('spare');
    expect((await s.admin.call('audit.list', { action: 'outcomes.delete', limit: 1 })).entries[0]).toMatchObject({ entityId: 'spare' });
  });
});

describe('a rendered letter filed with its case', () => {
  it('keeps exactly the letter previewed, as HTML with its SHA-256, audited and listed with the case files', async () => {
    const { templates } = await as.c1!.call('messageTemplates.list', {});
    const letter = templates.find((t) => t.name === '催收函')!;
    const input = { templateId: letter.id, caseId: cases[3]!, deadline: '2026-11-30' };
    const { text } = await as.c1!.call('messageTemplates.render', input);
    const f = await as.c1!.call('messageTemplates.file', { ...input, text });
    expect(f).toMatchObject({ caseId: cases[3], mime: 'text/html', uploadedBy: 'c1', note: '催收函 · 2026-11-30', name: expect.stringMatching(/^催收函-.+-2026-11-23\.html$/) });
    const back = await as.m1!.call('cases.fileContent', { fileId: f.id });
    const bytes = Buffer.from(back.base64, 'base64');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
    expect(bytes.length).toBe(f.bytes);
    const html = bytes.toString('utf8');
    const detail = await as.c1!.call('cases.get', { id: cases[3]! });
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain(`${detail.borrowerName}（证件号码 ${detail.idNumber}）`);
    expect(html).toContain('请您于2026-11-30前足额还款');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\d{17}[\dX]/);
    expect((await as.c1!.call('cases.files', { caseId: cases[3]! })).files.map((x) => x.id)).toContain(f.id);
    expect((await s.admin.call('audit.list', { action: 'messageTemplates.file', limit: 1 })).entries[0]).toMatchObject({ actor: 'c1', entityId: String(cases[3]), detail: { sha256: f.sha256, fileId: f.id } });
  });

  it('refuses a text that is not what the template renders now, an SMS, and a case the collector does not hold', async () => {
    const { templates } = await as.c1!.call('messageTemplates.list', {});
    const letter = templates.find((t) => t.name === '催收函')!;
    const sms = templates.find((t) => t.kind === 'sms' && t.audience === 'borrower')!;
    const input = { templateId: letter.id, caseId: cases[3]!, deadline: '2026-11-30' };
    const { text } = await as.c1!.call('messageTemplates.render', input);
    const before = (await as.c1!.call('cases.files', { caseId: cases[3]! })).files.length;
    expect(await as.c1!.error('messageTemplates.file', { ...input, text: text.replace('2026-11-30', '2026-12-31') })).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('preview it again') });
    expect(await as.c1!.error('messageTemplates.file', { ...input, deadline: '2026-12-01', text })).toMatchObject({ code: 'CONFLICT' });
    const smsText = (await as.c1!.call('messageTemplates.render', { templateId: sms.id, caseId: cases[3]! })).text;
    expect(await as.c1!.error('messageTemplates.file', { templateId: sms.id, caseId: cases[3]!, text: smsText })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('only letters') });
    expect(await as.c2!.error('messageTemplates.file', { ...input, text })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await as.au!.error('messageTemplates.file', { ...input, text })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.c1!.error('messageTemplates.file', { ...input, text: '' })).toMatchObject({ code: 'BAD_INPUT' });
    expect((await as.c1!.call('cases.files', { caseId: cases[3]! })).files.length).toBe(before);
  });
});

describe('test clock', () => {
  it('parses only an ISO time with its zone, and runs on in real time from it', () => {
    let real = Date.parse('2030-01-01T00:00:00Z');
    const c = parseTestClock('2025-04-01T22:00:00+08:00', () => real);
    expect(c.startedAt).toBe('2025-04-01T14:00:00.000Z');
    real += 90_000;
    expect(c.now().toISOString()).toBe('2025-04-01T14:01:30.000Z');
    for (const bad of ['2025-04-01T22:00', '2025-04-01 22:00:00+08:00', 'tomorrow', '', '2025-13-01T22:00:00Z']) {
      expect(() => parseTestClock(bad)).toThrow(/AGENCYDESK_TEST_CLOCK=.* is not a time: give an ISO time with its zone/);
    }
  });

  it('is refused by the desktop and command-line hosts', () => {
    const dir = tempDir('agencydesk-clock-');
    try {
      for (const host of ['desktop', 'cli'] as const) {
        expect(() => createBackend({ storeDir: dir, host, sweepEveryMs: 0, testClock: parseTestClock('2025-04-01T22:00:00+08:00') })).toThrow(`A test clock is for the web host only, not the ${host} host.`);
      }
    } finally {
      removeDir(dir);
    }
  });

  it('the web host refuses a setting that is not a time with its zone, before opening the store', () => {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first (npm test does).`);
    const dir = tempDir('agencydesk-clock-web-');
    try {
      const r = spawnSync(process.execPath, [SERVER, '--store', dir, '--port', '0'], { env: { ...process.env, AGENCYDESK_TEST_CLOCK: '2025-04-01 22:00' }, encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('agencydesk web: AGENCYDESK_TEST_CLOCK="2025-04-01 22:00" is not a time: give an ISO time with its zone, e.g. 2025-04-01T22:00:00+08:00.');
      expect(r.stdout).not.toContain('AgencyDesk web:');
    } finally {
      removeDir(dir);
    }
  });

  it('drives ctx.now(): reported by system.status, recorded at login with the real time, judged by the guardrails', async () => {
    const t = await makeStore({ testClock: parseTestClock('2025-04-01T22:00:30+08:00') });
    try {
      const status = await t.admin.call('system.status', {});
      expect(status.testClock?.startedAt).toBe('2025-04-01T14:00:30.000Z');
      expect(Date.parse(status.testClock!.now) - Date.parse('2025-04-01T14:00:30Z')).toBeLessThan(60_000);
      const admin = await login(t.backend, 'admin', ADMIN_PASSWORD);
      const entry = (await admin.call('audit.list', { action: 'auth.login', limit: 1 })).entries[0]!;
      expect(entry.host).toMatch(/^test@.+ \(test clock\)$/);
      expect(entry.at.startsWith('2025-04-01T14:0')).toBe(true);
      expect(entry.detail).toMatchObject({ testClock: { startedAt: '2025-04-01T14:00:30.000Z', realStartedAt: expect.any(String), realNow: expect.any(String) } });
      expect(Math.abs(Date.parse((entry.detail as { testClock: { realNow: string } }).testClock.realNow) - Date.now())).toBeLessThan(60_000);
      const lender = (await admin.call('lenders.create', { code: 'NITE', name: '夜间测试' })).id;
      const file = path.join(files, 'night.csv');
      writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(1, 41)]));
      expect((await importFile(admin, lender, file)).state).toBe('done');
      const caseId = (await admin.call('cases.list', { sort: 'id', desc: false })).rows[0]!.id;
      // No start time given: the attempt is now, 22:00 for the borrower.
      expect(await admin.error('contacts.log', phone(caseId, 'no_answer'))).toMatchObject({ code: 'COMPLIANCE', violations: [{ rule: 'quiet_hours' }] });
      // 21:59 is before the case came to the agency (22:00 by the test clock): not a time it can claim.
      expect(await admin.error('contacts.log', phone(caseId, 'no_answer', { startedAt: '2025-04-01T13:59:00.000Z' }))).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('came to the agency') });
      // A letter does not ring at night: logged now, by the test clock.
      expect(await admin.call('contacts.log', { caseId, channel: 'letter', outcome: 'no_answer' })).toMatchObject({ loggedAt: expect.stringMatching(/^2025-04-01T14:0/) });
    } finally {
      t.close();
      removeDir(t.dir);
    }
  });
});
