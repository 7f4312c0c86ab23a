// “连接办公室服务器”的中文界面文字（合并进 zh-CN.ts；键与 office-en.ts 一致，由类型检查）。
import type { officeEn } from './office-en.js';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const officeZhCN: Shape<typeof officeEn> = {
  office: {
    connect: '连接办公室服务器…',
    connectedTo: '办公室服务器：{{url}}',
    useLocal: '改用本机数据',
    title: '连接办公室服务器',
    help: '输入管理员提供的服务器地址。AgencyDesk 会显示该服务器的证书指纹，请与管理员提供的指纹逐字核对。',
    address: '服务器地址',
    check: '显示指纹',
    fingerprint: '服务器证书指纹（SHA-256）',
    compare: '仅当与管理员提供的指纹完全一致时才连接。如不一致，可能有人在中间拦截：请勿连接。',
    confirm: '指纹一致，连接',
    cancel: '取消',
    restarting: '正在连接：AgencyDesk 将重启并使用办公室服务器。',
    localConfirm: '改用本机数据？AgencyDesk 将重启。',
  },
  sessions: {
    title: '在线会话',
    serverUrl: '团队服务器地址：{{url}}',
    fingerprint: '证书指纹（SHA-256）：{{fingerprint}}',
    user: '用户',
    from: '来源地址',
    since: '登录时间',
    lastCall: '最近操作',
    thisComputer: '本机',
    current: '当前会话',
    end: '结束会话',
  },
};
