// The audit log in words: every action code the backend writes (found in the source, the way a reviewer
// would grep `audit(` / `action:` / `.append(`) has a name and a sentence in zh-CN and en, and an entry reads
// as a sentence with labelled details. A new action code without words fails here.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { actorOf, describeAudit, hasWords, WORDED_ACTIONS } from '../../renderer/audit/words.js';
import { en } from '../../renderer/i18n/en.js';
import { zhCN } from '../../renderer/i18n/zh-CN.js';
import type { AuditEntry } from '../../shared/contract/models.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCES = ['core', 'db', 'server', 'web', 'cli', 'electron'];
const CODE = /^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/;
// Codes built from a value: every value it can take (a new template literal must be added here).
const TEMPLATED: Record<string, string[]> = { 'plans.${g.outcome}': ['plans.completed', 'plans.broken'] };

function files(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.(ts|mts)$/.test(f) && !f.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The text of one argument (or, with `all`, of the whole call) starting at i. */
function argText(src: string, i: number, all: boolean): string {
  let depth = 0;
  let j = i;
  for (; j < src.length; j++) {
    const ch = src[j]!;
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) {
      if (depth === 0) break;
      depth--;
    } else if (ch === ',' && depth === 0 && !all) break;
  }
  return src.slice(i, j);
}

/** Action codes written anywhere in the backend: audit(CODE…), action: CODE in an appended entry, admit(…, CODE). */
function writtenCodes(): Map<string, string> {
  const found = new Map<string, string>();
  for (const root of SOURCES) {
    for (const file of files(path.join(ROOT, root))) {
      const src = readFileSync(file, 'utf8');
      for (const [re, all] of [[/\baudit\(/g, false], [/\baction:\s*/g, false], [/\badmit\(/g, true]] as const) {
        for (const m of src.matchAll(re)) {
          for (const lit of argText(src, m.index + m[0].length, all).matchAll(/(['"`])((?:(?!\1).)*)\1/g)) {
            const v = lit[2]!;
            if (v.includes('${')) {
              if (!TEMPLATED[v]) throw new Error(`${path.relative(ROOT, file)}: action code built as \`${v}\`: list its values in TEMPLATED`);
              for (const c of TEMPLATED[v]) found.set(c, file);
            } else if (CODE.test(v)) found.set(v, path.relative(ROOT, file));
          }
        }
      }
    }
  }
  return found;
}

async function translator(lng: 'zh-CN' | 'en') {
  const i = i18next.createInstance();
  await i.init({ lng, resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, interpolation: { escapeValue: false } });
  return i.t;
}

const entry = (action: string, entity: string, entityId: string | null, detail: Record<string, unknown>, actor = 'zhangsan'): AuditEntry => ({
  seq: 1, at: '2026-11-18T02:00:00.000Z', actorId: 2, actor, host: 'web@pc', action, entity, entityId, detail, hash: 'x',
});

describe('audit log in words', () => {
  it('has a name and a sentence in zh-CN and en for every action code the backend writes', async () => {
    const codes = writtenCodes();
    // The grep finds what we know is there (so a broken grep cannot pass by finding nothing).
    for (const known of ['auth.login', 'auth.recover', 'cases.view', 'payments.post', 'import.batch', 'system.setup', 'plans.broken', 'assign.recall']) expect(codes.has(known), known).toBe(true);
    const missing = [...codes.entries()].filter(([c]) => !hasWords(c)).map(([c, f]) => `${c} (${f})`);
    expect(missing, 'action codes without words in renderer/i18n/tables-*.ts').toEqual([]);
    const zh = await translator('zh-CN');
    const enT = await translator('en');
    for (const code of codes.keys()) {
      for (const t of [zh, enT]) {
        expect(t(`auditWords.actions.${code}.name`)).not.toContain('auditWords');
        expect(t(`auditWords.actions.${code}.text`)).not.toContain('auditWords');
      }
    }
    // No stale words either: every worded code is one the backend writes (or a templated value).
    expect(WORDED_ACTIONS.filter((c) => !codes.has(c))).toEqual([]);
  });

  it('reads entries as sentences with labelled fields, in both languages', async () => {
    const zh = await translator('zh-CN');
    const enT = await translator('en');
    const names = (u: string) => ({ zhangsan: '张三', lisi: '李四' })[u] ?? u;
    expect(describeAudit(zh, entry('auth.login', 'user', '2', {}), 'zh-CN', names).text).toBe('张三 登录');
    expect(describeAudit(enT, entry('auth.login', 'user', '2', {}), 'en', names).text).toBe('张三 logged in');
    const view = entry('cases.view', 'case', '17', { caseNo: 'ZA2025000123456' });
    expect(describeAudit(zh, view, 'zh-CN', names).text).toBe('张三 查看案件 ZA2025000123456');
    const pay = entry('payments.post', 'case', '17', { paymentId: 9, paidOn: '2026-11-18', amountFen: 123_400, channel: 'alipay', source: 'manual' }, 'lisi');
    const w = describeAudit(zh, pay, 'zh-CN', names);
    expect(w.name).toBe('登记回款');
    expect(w.text).toBe('李四 登记回款 ¥1,234.00（案件 #17）');
    expect(w.fields.find((f) => f.key === 'amountFen')).toEqual({ key: 'amountFen', label: '金额', value: '¥1,234.00' });
    expect(w.fields.find((f) => f.key === 'paidOn')?.label).toBe('回款日期');
    expect(describeAudit(enT, pay, 'en', names).text).toBe('李四 posted a payment of ¥1,234.00 on case #17');
    // Counts with thousands separators, nested before/after with the same labels, booleans in words.
    const imp = describeAudit(zh, entry('import.batch', 'batch', '3', { lender: 'PAYD', batchNo: 'PAYD-2025-11', imported: 12345, updated: 0, rejected: 2 }), 'zh-CN', names);
    expect(imp.text).toBe('张三 为 PAYD 导入批次 PAYD-2025-11：新增 12,345，更新 0，拒绝 2');
    const upd = describeAudit(zh, entry('teams.rename', 'team', '4', { before: 'A组', after: 'M1组' }), 'zh-CN', names);
    expect(upd.text).toBe('张三 将小组 A组 改名为 M1组');
    // Codes in the screens' words: stages, channels, outcomes; internal markers stay in the raw JSON only.
    const move = describeAudit(zh, entry('cases.move', 'case', '5', { from: 'new', to: 'contact', reason: null }), 'zh-CN', names);
    expect(move.text).toBe('张三 将案件 #5 从 新案 转为 联系');
    const log = describeAudit(zh, entry('contacts.log', 'case', '5', { channel: 'phone', direction: 'inbound', outcome: 'promised_to_pay' }), 'zh-CN', names);
    expect(log.fields.map((f) => f.value).slice(0, 2)).toEqual(['电话', '呼入']);
    expect(log.text).not.toContain('promised_to_pay');
    const complaint = describeAudit(zh, entry('complaints.record', 'case', '9', { action: 'record', complaintId: 3, channel: 'regulator' }), 'zh-CN', names);
    expect(complaint.fields.map((f) => f.key)).toEqual(['complaintId', 'channel']);
    expect(complaint.fields[1]!.value).toBe('监管转办');
    const chk = describeAudit(zh, entry('system.check', 'store', null, { integrityOk: true, auditOk: false }), 'zh-CN', names);
    expect(chk.fields.map((f) => f.value)).toEqual(['是', '否']);
    // A code nobody gave words to shows as itself rather than as a key path.
    expect(describeAudit(zh, entry('future.thing', 'x', null, {}), 'zh-CN', names).text).toBe('future.thing');
  });

  it('names a case by its case number and lender, a lender by its code, never by an internal id', async () => {
    const zh = await translator('zh-CN');
    const enT = await translator('en');
    const ref = { caseRef: { caseNo: 'ZA2025000123456', lenderCode: 'PAYD' } };
    const log = { ...entry('contacts.log', 'case', '3', { channel: 'phone', direction: 'outbound', outcome: 'promised_to_pay' }), ...ref };
    const w = describeAudit(zh, log, 'zh-CN');
    expect(w.text).toBe('zhangsan 记录案件 ZA2025000123456 的 电话 联系：承诺还款');
    expect(w.text).not.toContain('#3');
    expect(w.fields[0]).toEqual({ key: 'lender', label: '委托方', value: 'PAYD' });
    const pay = { ...entry('payments.post', 'case', '3', { paymentId: 9, amountFen: 100 }), ...ref };
    expect(describeAudit(enT, pay, 'en').text).toBe('zhangsan posted a payment of ¥1.00 on case ZA2025000123456');
    // Read at list time, the reference wins over a caseNo written long ago and over the id.
    expect(describeAudit(zh, { ...entry('cases.view', 'case', '3', { caseNo: 'OLD' }), ...ref }, 'zh-CN').text).toBe('zhangsan 查看案件 ZA2025000123456');
    const limits = { ...entry('compliance.setLimits', 'lender', '1', { before: null, after: null }), lenderRef: { code: 'PAYD', name: '某某消费金融' } };
    expect(describeAudit(zh, limits, 'zh-CN').text).toBe('zhangsan 设置了 委托方 PAYD 的联系限制');
  });

  it('names no user for a refused login or what the store did by itself, even when a user has that name', async () => {
    const zh = await translator('zh-CN');
    const names = (u: string) => ({ admin: '系统管理员', zhangsan: '张三', system: '王系统' })[u] ?? u;
    const nobody = (e: AuditEntry): AuditEntry => ({ ...e, actorId: null });
    // Written now: "anonymous" / "system" with no actor id.
    expect(actorOf(zh, nobody(entry('auth.failed', 'user', 'admin', {}, 'anonymous')), names)).toBe('未登录用户');
    expect(actorOf(zh, nobody(entry('auth.lockoutTampered', 'store', 'lockout.json', {}, 'system')), names)).toBe('系统');
    // Written by an older version: the username tried (or the file) as actor — never read as that person.
    expect(actorOf(zh, nobody(entry('auth.refused', 'user', 'admin', {}, 'admin')), names)).toBe('未登录用户');
    expect(actorOf(zh, nobody(entry('auth.lockoutTampered', 'store', 'lockout.json', {}, 'lockout.json')), names)).toBe('系统');
    // …and "anonymous" for what the store did with no one logged in (a scheduled backup that failed).
    expect(actorOf(zh, nobody(entry('backup.failed', 'store', null, {}, 'anonymous')), names)).toBe('系统');
    // A real user called "system" keeps their own name: the id tells them apart.
    expect(actorOf(zh, entry('cases.view', 'case', '3', {}, 'system'), names)).toBe('王系统');
    expect(actorOf(zh, entry('auth.login', 'user', 'zhangsan', {}), names)).toBe('张三');
  });
});
