// The stored form of a case's contacts: compact arrays now, the object form of older stores still read.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { contactsFromJson, contactsToJson } from '../../../shared/domain/placement/contacts-json.js';
import type { PlacementContact } from '../../../shared/domain/placement/normalise-row.js';
import { diffCase } from '../../../core/import/case-record.js';
import { CASE_COLUMNS, type CaseRecord } from '../../../db/repos/cases.js';

const contacts: PlacementContact[] = [
  { slot: 1, name: '丁静玉', relation: '兄弟', phone: '19136193415', phoneValid: true },
  { slot: 2, name: null, relation: '同事', phone: '0571-8888', phoneValid: false },
  { slot: 4, name: '"引号" \\ 和\t制表', relation: null, phone: null, phoneValid: false },
];

const olderForm = JSON.stringify(contacts);

function record(contactsJson: string): CaseRecord {
  const r = {} as Record<string, unknown>;
  for (const k of CASE_COLUMNS) r[k] = null;
  r.case_no = 'C1';
  r.contacts = contactsJson;
  return r as unknown as CaseRecord;
}

describe('stored contacts', () => {
  it('round-trips every field, an unparsed phone kept as written, in under half the bytes of the object form', () => {
    const json = contactsToJson(contacts);
    expect(contactsFromJson(json)).toEqual(contacts);
    expect(json).toBe('[[1,"丁静玉","兄弟","19136193415"],[2,null,"同事","0571-8888",0],[4,"\\"引号\\" \\\\ 和\\t制表",null,null]]');
    expect(Buffer.byteLength(json)).toBeLessThan(Buffer.byteLength(olderForm) / 2);
    expect(contactsToJson([])).toBe('[]');
  });

  it('writes exactly what JSON.stringify writes of the stored arrays, whatever the text (quotes, controls, lone surrogates)', () => {
    const text = fc.option(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('"', '\\', '\u2028', '\ud83d', '\ud83d\ude00', '丁静玉')), { nil: null });
    const contact = fc.record({ slot: fc.integer({ min: 1, max: 6 }), name: text, relation: text, phone: text, phoneValid: fc.boolean() });
    fc.assert(
      fc.property(fc.array(contact, { maxLength: 6 }), (cs) => {
        const stored = cs.map((c) => (c.phone !== null && !c.phoneValid ? [c.slot, c.name, c.relation, c.phone, 0] : [c.slot, c.name, c.relation, c.phone]));
        expect(contactsToJson(cs)).toBe(JSON.stringify(stored));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads the object form of stores made before', () => {
    expect(contactsFromJson(olderForm)).toEqual(contacts);
    expect(contactsFromJson('[{"slot":3,"name":"王五","relation":"朋友","phone":"13800000000"}]')).toEqual([{ slot: 3, name: '王五', relation: '朋友', phone: '13800000000', phoneValid: true }]);
  });

  it('refuses what neither form is', () => {
    expect(() => contactsFromJson('{"slot":1}')).toThrow(/not a JSON array/);
    expect(() => contactsFromJson('[1]')).toThrow(/neither/);
    expect(() => contactsFromJson('[')).toThrow();
  });

  it('a re-placement with the same contacts records no change, whichever form the case was stored in', () => {
    expect(diffCase(record(olderForm), record(contactsToJson(contacts)))).toEqual({});
    const moved = contactsToJson([{ ...contacts[0]!, phone: '19136193416' }, contacts[1]!, contacts[2]!]);
    expect(Object.keys(diffCase(record(olderForm), record(moved)))).toEqual(['contacts']);
  });
});
