// 催收员日常小事（issue 18）的中文界面文字：委案到期日筛选、手动调案拆分借款人时的确认、今日队列快捷键。
// 键与 workday-en.ts 一致，由类型检查。
import type { workdayEn } from './workday-en.js';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const workdayZhCN: Shape<typeof workdayEn> = {
  workday: {
    termEnd: {
      label: '委案到期',
      within: '{{days}}天内到期',
      ended: '已到期',
    },
    keys: {
      today: '快捷键：N 下一个案件 · L 记录联系 · Ctrl+Enter 保存 · Esc 关闭',
      next: '下一个 (N)',
      nextHint: '打开列表中的下一个案件（N 键）',
      save: 'Ctrl+Enter 保存',
    },
    lock: {
      switchUser: '不是 {{name}}？换一个用户登录',
    },
    split: {
      title: '借款人的案件要一起调整吗？',
      body: '所选案件的借款人还有 {{count}} 件在办案件不会调给{{to}}。按分案规则，同一借款人的案件由同一催收员处理。',
      row: '{{caseNo}} · {{lender}} · {{borrower}} · 现由{{holder}}处理',
      pool: '案件池',
      all: '全部一起调整（另加 {{count}} 件）',
      chosen: '只调整勾选的（另加 {{count}} 件）',
    },
  },
};
