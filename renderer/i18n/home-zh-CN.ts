// 管理首页、回款目标与导航分组的中文界面文字（合并进 zh-CN.ts；键与 home-en.ts 一致，由类型检查）。
import type { homeEn } from './home-en.js';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const homeZhCN: Shape<typeof homeEn> = {
  navGroup: { daily: '日常工作', portfolio: '案件管理', money: '资金', reports: '报表', admin: '系统管理' },
  navBadge: { plans: '{{count}} 个方案待审批', legal: '本周 {{count}} 个诉讼日期', complaints: '{{count}} 件投诉未结' },
  managerHome: {
    title: '早上好，{{name}}',
    subtitle: '今天需要您处理的（{{date}}）',
    plansAwaiting: '待审批方案',
    plansAwaitingHint: '在「协商方案」中审批',
    brokenPromises: '违约承诺',
    brokenPromisesHint: '近 7 天到期且未还款',
    legalDue: '本周诉讼日期',
    legalDueHint: '{{date}} 前到期（含已逾期）',
    complaints: '未结投诉',
    complaintsHint: '{{overdue}} 件已超答复期限',
    termEnding: '即将委案到期',
    termEndingHint: '{{days}} 天内委案到期的在催案件',
    recoveredToday: '今日回款',
    recoveredMonth: '本月回款（{{month}}）',
    ofTarget: '完成目标 {{target}} 的 {{pct}}%',
    noTarget: '本月未设定目标',
    open: '查看列表',
    failed: '首页数据加载失败：{{message}}',
  },
  targets: {
    title: '{{month}} 回款目标',
    agency: '全机构',
    team: '小组 {{name}}',
    subject: '对象',
    amount: '目标（元）',
    recovered: '已回款',
    progress: '完成率',
    setBy: '设定人',
    none: '本月尚未设定目标。',
    edit: '设定目标',
    save: '保存目标',
    remove: '删除',
    month: '月份',
    saved: '目标已保存。',
    agencyLine: '全机构已回款 {{recovered}}，目标 {{target}}（{{pct}}%）',
    agencyNoTarget: '全机构已回款 {{recovered}}，未设定目标',
    badAmount: '请输入金额（元，最多两位小数），留空则删除目标。',
  },
};
