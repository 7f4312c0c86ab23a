// Realistic placement rows for tests and benchmarks: Chinese names, valid ID numbers and mobiles, two
// contacts, amounts and dates as lenders write them. Deterministic for a given seed.
import { idCheckChar } from '../../shared/domain/placement/id-number.js';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥玲芬燕彬鑫浩宇晨欣怡子轩梓涵一诺佳琪雨桐';
const REGIONS = ['110105', '310101', '440305', '330106', '510107', '420102', '320102', '370102', '610113', '500103'];
const RELATIONS = ['配偶', '父亲', '母亲', '朋友', '同事', '兄弟', '姐妹'];
export const PLACEMENT_HEADERS = [
  '合同号', '客户姓名', '身份证号', '手机号码', '性别', '产品名称', '贷款金额', '放款日期', '到期日', '剩余本金',
  '逾期金额', '逾期本金', '逾期利息', '罚息', '逾期天数', '家庭地址', '联系人1姓名', '联系人1关系', '联系人1电话',
  '联系人2姓名', '联系人2关系', '联系人2电话',
];

/** A small fast PRNG (mulberry32), so fixtures are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeRows(count: number, seed = 1, opts: { caseNoPrefix?: string } = {}): string[][] {
  const r = rng(seed);
  const pick = <T>(xs: ArrayLike<T>) => xs[Math.floor(r() * xs.length)]!;
  const name = () => pick(SURNAMES) + pick(GIVEN) + (r() < 0.6 ? pick(GIVEN) : '');
  const mobile = () => `1${pick('3456789')}${String(Math.floor(r() * 1e9)).padStart(9, '0')}`;
  const rows: string[][] = [];
  for (let i = 0; i < count; i++) {
    const y = 1960 + Math.floor(r() * 45);
    const m = 1 + Math.floor(r() * 12);
    const d = 1 + Math.floor(r() * 28);
    const seq = String(Math.floor(r() * 1000)).padStart(3, '0');
    const first17 = `${pick(REGIONS)}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${seq}`;
    const principal = 100_000 + Math.floor(r() * 5_000_000); // fen
    const overdue = Math.floor(principal * (0.05 + r() * 0.4));
    const days = 1 + Math.floor(r() * 200);
    const yuan = (fen: number) => (fen / 100).toFixed(2);
    rows.push([
      `${opts.caseNoPrefix ?? 'HT'}${String(i + 1).padStart(8, '0')}`,
      name(),
      first17 + idCheckChar(first17),
      mobile(),
      Number(seq) % 2 ? '男' : '女',
      pick(['i贷', '消费贷', '信用贷', '车贷']),
      yuan(principal),
      `2024/${1 + Math.floor(r() * 12)}/${1 + Math.floor(r() * 28)}`,
      `2025-${String(1 + Math.floor(r() * 9)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`,
      yuan(principal - overdue),
      yuan(overdue),
      yuan(Math.floor(overdue * 0.8)),
      yuan(Math.floor(overdue * 0.15)),
      yuan(Math.floor(overdue * 0.05)),
      String(days),
      `${pick(['北京市朝阳区', '上海市浦东新区', '广州市天河区', '深圳市南山区', '成都市武侯区'])}${Math.floor(r() * 999)}号`,
      name(),
      pick(RELATIONS),
      mobile(),
      name(),
      pick(RELATIONS),
      mobile(),
    ]);
  }
  return rows;
}

/** RFC 4180 CSV: quotes fields with commas, quotes or line breaks. */
export function toCsv(rows: string[][], eol = '\r\n'): string {
  return rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join(eol) + eol;
}
