// “备份”页面与提示条的中文文字（合并进 zh-CN.ts；键与 backup-en.ts 一致，由类型检查）。
import type { backupEn } from './backup-en.js';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const backupZhCN: Shape<typeof backupEn> = {
  backup: {
    title: '备份',
    intro: '每次备份是一个文件：数据库的在线副本（仍用同一密钥加密）、密钥槽和清单。文件在命名前已校验（用密钥打开、完整性检查、审计链、SHA-256）。',
    lastGood: '最近一次成功备份',
    lastGoodValue: '{{at}} — {{file}}（{{mb}} MB，{{seconds}} 秒）',
    never: '尚无备份。',
    lastFailed: '最近一次备份失败（{{at}}）：{{error}}',
    stale: '最近两天没有成功的备份。一块硬盘损坏就会丢失全部案件数据：请立即备份，或设置定时备份。',
    openPage: '备份…',
    storeAt: '数据文件夹：{{dir}}',
    storeWarning: '数据文件夹位于网络共享或云同步文件夹中（{{what}}）。请将数据放在本地磁盘，把备份发送到共享位置：同步软件会在数据库写入时逐个复制文件。',
    schedule: '定时备份',
    folder: '备份文件夹（第二块硬盘或 NAS）',
    folderHelp: '留空：不进行定时备份。',
    everyHours: '间隔（小时）',
    keepDaily: '保留每日备份',
    keepWeekly: '保留每周备份',
    saveSchedule: '保存定时设置',
    saved: '备份设置已保存。',
    runNow: '立即备份',
    running: '正在备份…',
    done: '备份已写入并校验：{{file}}',
    restoreTitle: '恢复',
    restoreHelp: '备份恢复到一个新的空文件夹（不会覆盖正在使用的数据）。命令行：agencydesk restore --from 备份文件 --store 新文件夹，然后在新文件夹上启动 AgencyDesk（AGENCYDESK_STORE=新文件夹 或 --store 新文件夹），用备份时有效的密码登录。',
  },
};
