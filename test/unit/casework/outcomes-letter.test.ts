// The agency's outcome catalog (built-ins fixed in class, own codes after them, the checks a change must
// pass) and the filed letter's HTML (escaped, self-contained, laid out like the print view).
import { describe, it, expect } from 'vitest';
import { BUILT_IN_OUTCOMES, checkOutcomeChange, codesOf, outcomeCatalog, type OutcomeDef } from '../../../shared/domain/casework/outcomes.js';
import { CONNECTED_OUTCOMES, FAILED_OUTCOMES, UNANSWERED_OUTCOMES } from '../../../shared/domain/casework/guardrails.js';
import { letterHtml, letterLayout } from '../../../shared/domain/casework/letter.js';

const own: OutcomeDef = { code: 'callback_agreed', labels: { 'zh-CN': '约定回电', en: 'Agreed to call back' }, class: 'connected', active: true };

describe('outcome catalog', () => {
  it('the built-in classes count exactly as the guardrails always did', () => {
    const list = outcomeCatalog(undefined);
    expect(codesOf(list, 'connected').sort()).toEqual([...CONNECTED_OUTCOMES].sort());
    expect(codesOf(list, 'unanswered').sort()).toEqual([...UNANSWERED_OUTCOMES].sort());
    expect(codesOf(list, 'unanswered', 'failed').sort()).toEqual([...FAILED_OUTCOMES].sort());
  });

  it('keeps every built-in code with its own class whatever is stored, and the agency’s codes after them', () => {
    const stored: OutcomeDef[] = [{ code: 'busy', labels: { 'zh-CN': '忙线', en: 'Line busy' }, class: 'connected', active: false }, own];
    const list = outcomeCatalog(stored);
    expect(list.map((o) => o.code)).toEqual([...BUILT_IN_OUTCOMES.map((o) => o.code), 'callback_agreed']);
    expect(list.find((o) => o.code === 'busy')).toMatchObject({ class: 'unanswered', active: false, labels: { en: 'Line busy' }, builtIn: true });
    expect(list.at(-1)).toMatchObject({ ...own, builtIn: false });
  });

  it('refuses duplicates, missing codes, a built-in class change, look-alike labels and switching the last code off', () => {
    const list = outcomeCatalog([own]);
    expect(checkOutcomeChange(list, own, true)).toMatchObject({ kind: 'exists' });
    expect(checkOutcomeChange(list, { ...own, code: 'nope' }, false)).toMatchObject({ kind: 'missing' });
    expect(checkOutcomeChange(list, { ...BUILT_IN_OUTCOMES[0]!, class: 'other' }, false)).toMatchObject({ kind: 'invalid', message: expect.stringContaining('is fixed (connected)') });
    expect(checkOutcomeChange(list, { ...own, code: 'x', labels: { 'zh-CN': '别的', en: 'AGREED TO CALL BACK' } }, true)).toMatchObject({ message: expect.stringContaining('(callback_agreed) already has this label') });
    expect(checkOutcomeChange(list, { ...own, active: false }, false)).toBeNull();
    const allOff = list.map((o) => ({ ...o, active: o.code === 'connected' }));
    expect(checkOutcomeChange(allOff, { ...BUILT_IN_OUTCOMES[0]!, active: false }, false)).toMatchObject({ message: 'At least one outcome code must stay in use.' });
    const full = Array.from({ length: 40 }, (_, i) => ({ ...own, code: `c${i}`, labels: { 'zh-CN': `标签${i}`, en: `L${i}` }, builtIn: false }));
    expect(checkOutcomeChange(full, { ...own, code: 'one_more', labels: { 'zh-CN': '再一个', en: 'One more' } }, true)).toMatchObject({ message: expect.stringContaining('at most 40') });
  });
});

describe('the filed letter', () => {
  const text = '催收函\n\n张三（证件号码 110105********1234）：\n\n请于2026-11-30前还款 <b>&</b>。\n第二段。\n\n华信催收\n2026-11-23';

  it('lays out title, salutation, body and signature like the print view', () => {
    expect(letterLayout(text)).toEqual({ title: '催收函', salutation: ['张三（证件号码 110105********1234）：'], body: ['请于2026-11-30前还款 <b>&</b>。', '第二段。'], sign: ['华信催收', '2026-11-23'] });
  });

  it('is one self-contained HTML document: text escaped, no scripts, nothing loaded from outside', () => {
    const html = letterHtml(text, '催收函-C001-2026-11-23', 'zh-CN');
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="zh-CN">')).toBe(true);
    expect(html).toContain('<h1>催收函</h1>');
    expect(html).toContain('<p>请于2026-11-30前还款 &lt;b&gt;&amp;&lt;/b&gt;。</p>');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|src=|href=/i);
    expect(letterHtml(text, 'x', 'zh-CN')).toBe(letterHtml(text, 'x', 'zh-CN'));
  });
});
