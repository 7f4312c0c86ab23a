// Province-level codes (GB/T 2260, first two digits of an ID number) and what they mean on an ID.
//
// - 11–65: mainland provinces, regions and municipalities on 居民身份证.
// - 71 台湾: in GB/T 2260, but the mainland issues no ID cards with it; kept so old data still parses.
// - 81 香港, 82 澳门, 83 台湾: 港澳台居民居住证 (residence permits, since 2018), 18 digits with the
//   same checksum; the first six digits are always 810000 / 820000 / 830000.
// - 91 国外, listed by many validators, is not a real prefix: the 2023 外国人永久居留身份证 is '9'
//   followed by the issuing province's code (e.g. 911… Beijing, 931… Shanghai, 944… Guangdong); see
//   id-number.ts. So 91 is not in this table.

export const PROVINCES: Readonly<Record<string, string>> = {
  '11': '北京', '12': '天津', '13': '河北', '14': '山西', '15': '内蒙古',
  '21': '辽宁', '22': '吉林', '23': '黑龙江',
  '31': '上海', '32': '江苏', '33': '浙江', '34': '安徽', '35': '福建', '36': '江西', '37': '山东',
  '41': '河南', '42': '湖北', '43': '湖南', '44': '广东', '45': '广西', '46': '海南',
  '50': '重庆', '51': '四川', '52': '贵州', '53': '云南', '54': '西藏',
  '61': '陕西', '62': '甘肃', '63': '青海', '64': '宁夏', '65': '新疆',
  '71': '台湾', '81': '香港', '82': '澳门', '83': '台湾',
};

// Indexed by the code as a number: per-row lookups then need no substring and no keyed property access.
const BY_NUMBER: (string | undefined)[] = new Array<string | undefined>(100).fill(undefined);
for (const [code, name] of Object.entries(PROVINCES)) BY_NUMBER[Number(code)] = name;

/** Province name for a 2-digit code or any longer region code ('110105' → '北京'); undefined if unknown. */
export function provinceOf(code: string): string | undefined {
  return provinceAt(code, 0);
}

/** Province name for the two digits of `s` at `pos`. */
export function provinceAt(s: string, pos: number): string | undefined {
  const a = s.charCodeAt(pos) - 48;
  const b = s.charCodeAt(pos + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? BY_NUMBER[a * 10 + b] : undefined;
}

/** Codes that issue 港澳台居民居住证 rather than 居民身份证. */
export function isResidencePermitCode(provinceCode: string): boolean {
  return provinceCode === '81' || provinceCode === '82' || provinceCode === '83';
}
