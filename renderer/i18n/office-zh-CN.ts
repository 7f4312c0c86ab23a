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
  serve: {
    title: '向办公室提供本数据库',
    intro: '办公室里的其他电脑和浏览器通过加密连接（HTTPS）使用本机的数据库。提供服务期间，本机须保持开机并打开 AgencyDesk；即使您在本机退出登录，数据库也保持解锁。',
    onlyDesktop: '只能在保存数据库的那台电脑上，从桌面应用开始提供服务（在团队服务器或浏览器中，请查看“在线会话”）。',
    host: '监听地址',
    hostHelp: '0.0.0.0 = 本机的所有网络',
    port: '端口',
    autoStart: '管理员在本机登录时自动重新提供服务',
    start: '开始提供服务',
    stop: '停止提供服务',
    stopConfirm: '停止提供服务？当前连接的 {{count}} 台电脑将被退出登录。',
    serving: '自 {{since}} 起提供服务（由 {{by}} 开启）。',
    urls: '请把以下地址告诉各台电脑（本机每个网络一个）：',
    fingerprint: '证书指纹（SHA-256）——各台电脑连接前须核对：',
    certPath: '证书文件：{{path}}',
    connected: '当前连接的电脑：{{count}} 台（详见下方“在线会话”）。',
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
