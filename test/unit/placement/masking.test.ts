import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { maskIdNumber, maskMobile, maskName, maskPhone } from '../../../shared/domain/placement/masking.js';

describe('masking', () => {
  it('keeps the region and last 4 of an ID number', () => {
    expect(maskIdNumber('110105199003071234')).toBe('110105********1234');
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('110105900307123')).toBe('110105*****7123');
    expect(maskIdNumber('not-an-id')).toBe('*********');
    expect(maskIdNumber('1234')).toBe('****');
    expect(maskIdNumber('')).toBe('');
    expect(maskIdNumber(null)).toBe('');
  });

  it('keeps the first 3 and last 4 of a mobile', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
    expect(maskMobile('+86 138 1234 5678')).toBe('138****5678');
    expect(maskMobile('010-12345678')).toBe('************');
    expect(maskMobile('12345')).toBe('*****');
    expect(maskMobile(undefined)).toBe('');
  });

  it('keeps the area code and last 4 of a landline', () => {
    expect(maskPhone('0755-88886666')).toBe('0755-****6666');
    expect(maskPhone('010 1234 5678')).toBe('010-****5678');
    expect(maskPhone('0571-8765432')).toBe('0571-***5432');
    expect(maskPhone('0755-88886666-123')).toBe('0755-****6666-***');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('call me')).toBe('*******');
  });

  it('masks Chinese names between first and last character', () => {
    expect(maskName('张三丰')).toBe('张*丰');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张')).toBe('*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('阿卜杜·热合曼')).toBe('阿*****曼');
    expect(maskName(' 李四 ')).toBe('李*');
  });

  it('keeps the first letter of each word of a Latin name', () => {
    expect(maskName('John Smith')).toBe('J*** S****');
    expect(maskName("Mary-Jane O'Neil")).toBe("M***-J*** O'N***");
    expect(maskName('José')).toBe('J***');
  });

  it('fully masks what is not a name', () => {
    expect(maskName('张3')).toBe('**');
    expect(maskName('13812345678')).toBe('***********');
    expect(maskName('')).toBe('');
    expect(maskName(null)).toBe('');
  });

  it('never throws and never reveals unrecognised input', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        for (const mask of [maskIdNumber, maskMobile, maskPhone, maskName]) {
          const out = mask(s);
          expect(typeof out).toBe('string');
          if (/^\**$/.test(out) && out !== '') expect(out.length).toBe([...s].length);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never shows the middle of a valid mobile or ID', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), fc.stringMatching(/^\d{17}[\dX]$/), (m, id) => {
        expect(maskMobile(m)).toBe(`${m.slice(0, 3)}****${m.slice(7)}`);
        expect(maskIdNumber(id)).toBe(`${id.slice(0, 6)}********${id.slice(14)}`);
      }),
    );
  });
});
