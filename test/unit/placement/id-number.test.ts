import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { idCheckChar, parseIdNumber } from '../../../shared/domain/placement/id-number.js';
import { PROVINCES, provinceOf } from '../../../shared/domain/placement/provinces.js';

const reason = (input: Parameters<typeof parseIdNumber>[0], asOf?: string) => {
  const r = parseIdNumber(input, asOf === undefined ? {} : { asOf });
  return r.ok ? 'ok' : r.reason;
};

/** ISO 7064 MOD 11-2 from its definition (weights 2^k mod 11, total ≡ 1), independent of the code's table. */
function isoCheck(first17: string): string {
  let s = 0;
  for (let j = 0; j < 17; j++) s += Number(first17[j]) * (2 ** (17 - j) % 11);
  const c = (12 - (s % 11)) % 11;
  return c === 10 ? 'X' : String(c);
}

describe('parseIdNumber', () => {
  it('reads an 18-digit number (the GB 11643 sample) ending in X', () => {
    const r = parseIdNumber('11010519491231002x');
    expect(r).toEqual({
      ok: true,
      value: {
        number18: '11010519491231002X',
        kind: 'resident',
        birthDate: '1949-12-31',
        gender: 'F',
        regionCode: '110105',
        provinceCode: '11',
        province: '北京',
        from15: false,
      },
    });
  });

  it('tolerates spaces, full-width digits and the Excel text apostrophe', () => {
    for (const written of [' 110105 19491231 002X ', '１１０１０５１９４９１２３１００２Ｘ', "'11010519491231002X", '11010519491231002ｘ']) {
      const r = parseIdNumber(written);
      expect(r.ok && r.value.number18, written).toBe('11010519491231002X');
    }
  });

  it('converts a 15-digit number', () => {
    // By hand: 110105 + 19 + 900307 + 123 → 17 digits 11010519900307123; Σ digit × weight
    // (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) = 7+9+0+5+0+20+2+9+54+0+0+27+0+35+8+8+6 = 190;
    // 190 mod 11 = 3 → check '9' (table 1 0 X 9 8 7 6 5 4 3 2).
    const r = parseIdNumber('110105900307123');
    expect(r).toEqual({
      ok: true,
      value: {
        number18: '110105199003071239',
        kind: 'resident',
        birthDate: '1990-03-07',
        gender: 'M',
        regionCode: '110105',
        provinceCode: '11',
        province: '北京',
        from15: true,
      },
    });
    expect(parseIdNumber('110105199003071239').ok).toBe(true);
    expect(reason(110105900307123)).toBe('ok');
  });

  it('counts digits when the length is wrong', () => {
    expect(reason('11010519491231002')).toBe('ID number has 17 digits');
    expect(reason('11010519491231002X1')).toBe('ID number has 19 digits');
    expect(reason('1101051949123')).toBe('ID number has 13 digits');
    expect(reason('')).toBe('empty');
    expect(reason('  ')).toBe('empty');
    expect(reason(null)).toBe('empty');
  });

  it('rejects a wrong check digit, a misplaced X and stray characters', () => {
    expect(reason('110105194912310021')).toBe('ID number checksum does not match');
    expect(reason('110105199003071230')).toBe('ID number checksum does not match');
    expect(reason('1101051949123100X2')).toMatch(/X in the wrong place/);
    expect(reason('11010590030712X')).toMatch(/X in the wrong place/);
    expect(reason('110105-19491231-002X')).toMatch(/invalid character/);
    expect(reason('11010519491231002Y')).toMatch(/invalid character/);
  });

  it('rejects an 18-digit number that Excel stored as a number', () => {
    expect(reason(110105199003071230)).toMatch(/stored as a number/);
  });

  it('checks the birth date', () => {
    const withBirth = (region: string, birth: string, seq = '001') => {
      const first17 = region + birth + seq;
      return first17 + isoCheck(first17);
    };
    expect(reason(withBirth('110105', '20250229'))).toBe('ID number has an invalid birth date');
    expect(reason(withBirth('110105', '20240229'))).toBe('ok');
    expect(reason(withBirth('110105', '19901301'))).toBe('ID number has an invalid birth date');
    expect(reason('440524188001010014')).toBe('ID number has an invalid birth date'); // GB sample, born 1880
    expect(reason(withBirth('110105', '20300101'), '2025-03-20')).toBe('ID number birth date is in the future');
    expect(reason(withBirth('110105', '20250320'), '2025-03-20')).toBe('ok');
    expect(reason(withBirth('110105', '20300101'))).toBe('ok'); // no asOf: no future check
    expect(reason(withBirth('990105', '19900101'))).toBe('ID number has an unknown province code 99');
    expect(reason(withBirth('910105', '19900101'))).not.toBe('ok');
  });

  it('recognises residence permits and the 2023 foreign permanent resident card', () => {
    const make = (first17: string) => first17 + isoCheck(first17);
    const hk = parseIdNumber(make('81000019900101002'));
    expect(hk.ok && [hk.value.kind, hk.value.province, hk.value.gender]).toEqual(['residencePermit', '香港', 'F']);
    const tw = parseIdNumber(make('83000019900101001'));
    expect(tw.ok && [tw.value.kind, tw.value.province]).toEqual(['residencePermit', '台湾']);
    // '9' + issuing province 31 (上海) + nationality 840 + birth + sequence.
    const foreign = parseIdNumber(make('93184019850615001'));
    expect(foreign.ok && [foreign.value.kind, foreign.value.provinceCode, foreign.value.regionCode, foreign.value.birthDate])
      .toEqual(['foreignPermanent', '31', '310000', '1985-06-15']);
    expect(parseIdNumber(make('98184019850615001')).ok).toBe(false); // 81 is not an issuing province
  });

  it('agrees with the ISO 7064 definition of the check character', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), (s) => {
        expect(idCheckChar(s)).toBe(isoCheck(s));
      }),
    );
  });

  const provinceCodes = Object.keys(PROVINCES);
  const validId = fc
    .record({
      province: fc.constantFrom(...provinceCodes),
      rest: fc.stringMatching(/^\d{4}$/),
      birth: fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2024, 11, 31)), noInvalidDate: true }),
      seq: fc.stringMatching(/^\d{3}$/),
    })
    .map(({ province, rest, birth, seq }) => {
      const first17 = province + rest + birth.toISOString().slice(0, 10).replaceAll('-', '') + seq;
      return { id: first17 + isoCheck(first17), birth: birth.toISOString().slice(0, 10), seq };
    });

  it('parses every generated valid number, and fails after any single-character change', () => {
    fc.assert(
      fc.property(validId, fc.nat(17), fc.nat(10), ({ id, birth, seq }, pos, shift) => {
        const r = parseIdNumber(id, { asOf: '2025-01-01' });
        expect(r.ok && r.value.number18).toBe(id);
        expect(r.ok && r.value.birthDate).toBe(birth);
        expect(r.ok && r.value.gender).toBe(Number(seq[2]) % 2 === 1 ? 'M' : 'F');
        const alphabet = pos === 17 ? '0123456789X' : '0123456789';
        const from = alphabet.indexOf(id[pos] ?? '');
        const changed = alphabet[(from + 1 + (shift % (alphabet.length - 1))) % alphabet.length] ?? '';
        const typo = id.slice(0, pos) + changed + id.slice(pos + 1);
        expect(typo).not.toBe(id);
        expect(parseIdNumber(typo).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('provinceOf', () => {
  it('names provinces from 2- or 6-digit codes', () => {
    expect(provinceOf('44')).toBe('广东');
    expect(provinceOf('440305')).toBe('广东');
    expect(provinceOf('65')).toBe('新疆');
    expect(provinceOf('83')).toBe('台湾');
    expect(provinceOf('91')).toBeUndefined();
    expect(provinceOf('99')).toBeUndefined();
    expect(provinceOf('to')).toBeUndefined();
    expect(Object.keys(PROVINCES)).toHaveLength(35);
  });
});
