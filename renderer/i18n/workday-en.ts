// English text of the collector's-day small things (issue 18): the 委案到期日 filter, the keep-together
// question on a manual move, Today's keyboard shortcuts. workday-zh-CN.ts has the same keys (type-checked).
export const workdayEn = {
  workday: {
    termEnd: {
      label: 'Placement ends',
      within: 'Within {{days}} days',
      ended: 'Ended',
    },
    keys: {
      today: 'Keys: N next case · L log an attempt · Ctrl+Enter save · Esc close',
      next: 'Next (N)',
      nextHint: 'Open the next case of the list (key N)',
      save: 'Ctrl+Enter saves',
    },
    lock: {
      switchUser: 'Not {{name}}? Log in as someone else',
    },
    split: {
      title: "Keep the borrower's cases together?",
      body: 'The borrowers of the picked cases have {{count}} other open case(s) that would not go to {{to}}. The rules keep a borrower\'s cases with one collector.',
      row: '{{caseNo}} · {{lender}} · {{borrower}} · now with {{holder}}',
      pool: 'the pool',
      all: 'Move all together ({{count}} more)',
      chosen: 'Move only the ticked ones ({{count}} more)',
    },
  },
};
