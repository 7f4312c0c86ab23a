// 共用表格（紧凑行、“无数据”）与审计日志文字的中文界面文字（合并进 zh-CN.ts；键与 tables-en.ts 一致，由类型检查）。
import type { tablesEn } from './tables-en.js';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const tablesZhCN: Shape<typeof tablesEn> = {
  grid: { compactRows: '紧凑行', noRows: '没有数据' },
  auditWords: {
    col: { what: '操作内容' },
    rawJson: '原始记录（JSON）',
    showRaw: '详情',
    noDetail: '无详情。',
    yes: '是',
    no: '否',
    /** Who a contact attempt was with (contacts.log / contacts.refused `party`). */
    parties: { borrower: '本人', contact: '联系人' },
    /** An entry whose typed text (reasons, notes, file names) an erasure cleared. */
    textErased: { label: '填写的文字', value: '已随案件删除（删除批次 #{{run}}）' },
    entity: { case: '案件 {{id}}', user: '用户 {{id}}', lender: '委托方 {{id}}', batch: '批次 {{id}}', team: '小组 {{id}}', plan: '方案 {{id}}', other: '{{entity}} {{id}}' },
    actions: {
      system: {
        setup: { name: '初始化数据库', text: '{{who}} 为 {{agencyName}} 初始化了数据库' },
        check: { name: '系统检查', text: '{{who}} 运行系统检查' },
      },
      auth: {
        login: { name: '登录', text: '{{who}} 登录' },
        logout: { name: '退出登录', text: '{{who}} 退出登录' },
        failed: { name: '登录失败', text: '以 {{target}} 登录失败' },
        recover: { name: '使用恢复密钥', text: '{{who}} 使用恢复密钥并设置了新密码' },
        changePassword: { name: '修改密码', text: '{{who}} 修改了自己的密码' },
        lockoutTampered: { name: '锁定计数被篡改', text: '登录锁定计数（{{target}}）被篡改' },
      },
      users: {
        create: { name: '新建用户', text: '{{who}} 新建用户 {{username}}（{{role}}）' },
        update: { name: '修改用户', text: '{{who}} 修改了 {{target}}' },
        disable: { name: '停用用户', text: '{{who}} 停用用户 {{username}}' },
        enable: { name: '启用用户', text: '{{who}} 启用用户 {{username}}' },
        resetPassword: { name: '重置密码', text: '{{who}} 重置了 {{username}} 的密码' },
      },
      teams: {
        create: { name: '新建小组', text: '{{who}} 新建小组 {{name}}' },
        rename: { name: '小组改名', text: '{{who}} 将小组 {{before}} 改名为 {{after}}' },
        setBuckets: { name: '设置小组账龄', text: '{{who}} 设置了 {{target}} 负责的账龄段' },
      },
      serve: {
        start: { name: '开始向办公室提供服务', text: '{{who}} 开始在 {{listen}} 向办公室提供本数据库' },
        stop: { name: '停止向办公室提供服务', text: '{{who}} 停止在 {{listen}} 提供本数据库' },
      },
      sessions: { end: { name: '结束会话', text: '{{who}} 结束了 {{target}} 的会话' } },
      settings: { update: { name: '修改设置', text: '{{who}} 修改设置 {{target}}' } },
      backup: {
        written: { name: '完成备份', text: '{{who}} 备份到 {{folder}}' },
        failed: { name: '备份失败', text: '备份到 {{folder}} 失败' },
        restored: { name: '恢复备份', text: '{{who}} 恢复了备份 {{target}}' },
      },
      audit: {
        anchorMismatch: { name: '审计锚点不符', text: '审计日志与锚点不符：{{message}}' },
        anchorAccepted: { name: '接受审计锚点', text: '{{who}} 接受数据库现状：{{reason}}' },
      },
      keys: {
        rekey: { name: '更换数据库密钥', text: '{{who}} 更换了数据库密钥' },
        signingLocked: { name: '签名密钥已锁定', text: '报表签名密钥已锁定' },
        privilegedTampered: { name: '特权密钥被篡改', text: '被替换的特权密钥（签名锁、审计锚点密钥）已被拒绝：{{reason}}' },
        revealMasterKey: { name: '导出主密钥', text: '{{who}} 导出了主密钥' },
      },
      signing: { newKey: { name: '新签名密钥', text: '{{who}} 生成了新的报表签名密钥' } },
      lenders: {
        create: { name: '新增委托方', text: '{{who}} 新增委托方 {{code}} {{name}}' },
        update: { name: '修改委托方', text: '{{who}} 修改了 {{target}}' },
        setPublicKey: { name: '设置委托方公钥', text: '{{who}} 设置了 {{target}} 的公钥' },
      },
      templates: {
        save: { name: '保存导入模板', text: '{{who}} 为 {{target}} 保存导入模板 {{name}}' },
        delete: { name: '删除导入模板', text: '{{who}} 删除了 {{target}} 的导入模板 {{name}}' },
      },
      import: {
        batch: { name: '导入委案', text: '{{who}} 为 {{lender}} 导入批次 {{batchNo}}：新增 {{imported}}，更新 {{updated}}，拒绝 {{rejected}}' },
        dryRun: { name: '试导入', text: '{{who}} 试导入 {{file}}（{{lender}}，未保存）' },
        cancel: { name: '取消导入', text: '{{who}} 取消了一次导入' },
      },
      batches: { rejections: { name: '查看被拒绝行', text: '{{who}} 查看了 {{target}} 的 {{rows}} 条被拒绝行' } },
      cases: {
        view: { name: '查看案件', text: '{{who}} 查看案件 {{target}}' },
        move: { name: '变更阶段', text: '{{who}} 将案件 {{target}} 从 {{from}} 转为 {{to}}' },
        settled: { name: '案件结清', text: '案件 {{target}} 已结清' },
        reopened: { name: '案件重开', text: '案件 {{target}} 重新打开' },
        setFlag: { name: '案件标记', text: '{{who}} 为案件 {{target}} 设置标记 {{flag}}' },
        attach: { name: '上传附件', text: '{{who}} 为案件 {{target}} 上传 {{name}}' },
        fileContent: { name: '打开附件', text: '{{who}} 打开了案件 {{target}} 的 {{name}}' },
        unmask: { name: '查看完整信息', text: '{{who}} 查看案件 {{target}} 的完整{{field}}：{{reason}}' },
        unmaskRefused: { name: '查看完整信息被拒', text: '{{who}} 查看案件 {{target}} 的完整{{field}}被拒绝' },
      },
      contacts: {
        log: { name: '记录联系', text: '{{who}} 记录案件 {{target}} 的 {{channel}} 联系：{{outcome}}' },
        refused: { name: '联系被拒', text: '{{who}} 对案件 {{target}} 的 {{channel}} 联系被规则拒绝' },
        correct: { name: '更正联系记录', text: '{{who}} 更正了案件 {{target}} 的一条联系记录' },
      },
      compliance: {
        override: { name: '规则豁免', text: '{{who}} 对案件 {{target}} 豁免规则 {{rule}}' },
        setLimits: { name: '设置联系限制', text: '{{who}} 设置了 {{target}} 的联系限制' },
      },
      escalation: { set: { name: '设置催收步骤', text: '{{who}} 设置了 {{target}} 的催收升级步骤' } },
      outcomes: {
        create: { name: '新增联系结果', text: '{{who}} 新增联系结果 {{target}}' },
        update: { name: '修改联系结果', text: '{{who}} 修改联系结果 {{target}}' },
        delete: { name: '删除联系结果', text: '{{who}} 删除联系结果 {{target}}' },
      },
      messageTemplates: {
        create: { name: '新增话术模板', text: '{{who}} 新增话术模板 {{name}}' },
        update: { name: '修改话术模板', text: '{{who}} 修改话术模板 {{name}}' },
        delete: { name: '删除话术模板', text: '{{who}} 删除话术模板 {{name}}' },
        render: { name: '生成话术', text: '{{who}} 为案件 {{target}} 生成话术 {{template}}' },
        file: { name: '话术归档', text: '{{who}} 将话术 {{template}} 归档到案件 {{target}}' },
      },
      assign: {
        apply: { name: '按规则分案', text: '{{who}} 按规则分配了 {{assigned}} 件案件' },
        auto: { name: '自动分案', text: '自动分配了 {{assigned}} 件案件' },
        manual: { name: '手工分案', text: '{{who}} 手工分配了 {{changed}} 件案件' },
        recall: { name: '收回案件', text: '{{who}} 将 {{changed}} 件案件收回案池' },
      },
      assignRules: {
        create: { name: '新增分案规则', text: '{{who}} 新增分案规则 {{name}}' },
        update: { name: '修改分案规则', text: '{{who}} 修改分案规则 {{name}}' },
        delete: { name: '删除分案规则', text: '{{who}} 删除分案规则 {{name}}' },
      },
      staff: { update: { name: '修改人员设置', text: '{{who}} 修改了 {{target}} 的容量与技能' } },
      targets: { set: { name: '设置回款目标', text: '{{who}} 将 {{month}} 回款目标设为 {{amount}}' } },
      money: {
        setSettings: { name: '设置费用条款', text: '{{who}} 设置了 {{target}} 的费用条款' },
        setCaseTerms: { name: '设置案件条款', text: '{{who}} 设置了案件 {{target}} 的条款' },
      },
      payments: {
        post: { name: '登记回款', text: '{{who}} 登记回款 {{amount}}（案件 {{target}}）' },
        reverse: { name: '冲正回款', text: '{{who}} 冲正回款 {{amount}}（案件 {{target}}）' },
      },
      plans: {
        propose: { name: '提交方案', text: '{{who}} 为案件 {{target}} 提交协商方案' },
        approve: { name: '批准方案', text: '{{who}} 批准了案件 {{target}} 的方案' },
        reject: { name: '驳回方案', text: '{{who}} 驳回了案件 {{target}} 的方案' },
        completed: { name: '方案完成', text: '案件 {{target}} 的方案已履行完毕' },
        broken: { name: '方案违约', text: '案件 {{target}} 的方案违约' },
        letter: { name: '生成确认函', text: '{{who}} 为案件 {{target}} 生成还款确认函' },
        fileLetter: { name: '确认函归档', text: '{{who}} 将确认函归档到案件 {{target}}' },
      },
      repayments: { import: { name: '导入回款文件', text: '{{who}} 导入回款文件 {{fileName}}：入账 {{posted}}，拒绝 {{rejected}}' } },
      recalls: { recall: { name: '委托方撤案', text: '{{who}} 登记 {{target}} 撤回 {{cases}} 件案件' } },
      legal: {
        refer: { name: '转律所', text: '{{who}} 将案件 {{target}} 转交 {{lawFirm}}' },
        update: { name: '修改诉讼信息', text: '{{who}} 修改了案件 {{target}} 的诉讼信息' },
        event: { name: '诉讼事件', text: '{{who}} 记录案件 {{target}} 的诉讼事件' },
      },
      complaints: {
        record: { name: '登记投诉', text: '{{who}} 登记案件 {{target}} 的投诉' },
        answer: { name: '答复投诉', text: '{{who}} 答复了案件 {{target}} 的投诉' },
        close: { name: '关闭投诉', text: '{{who}} 关闭了案件 {{target}} 的投诉' },
      },
      reports: {
        setSettings: { name: '报表设置', text: '{{who}} 修改了 {{target}} 的报表设置' },
        exportStarted: { name: '开始导出报表', text: '{{who}} 开始为 {{target}} 导出报表' },
        export: { name: '导出报表', text: '{{who}} 为 {{target}} 导出了报表' },
        download: { name: '下载报表', text: '{{who}} 下载了 {{target}} 的报表' },
        verify: { name: '校验报表', text: '{{who}} 校验报表包 {{target}}' },
      },
      privacy: {
        accessReport: { name: '个人信息访问报告', text: '{{who}} 生成个人信息访问报告' },
        setRetention: { name: '设置保留期限', text: '{{who}} 设置了 {{target}} 的数据保留期限' },
        eraseStarted: { name: '开始删除个人信息', text: '{{who}} 开始删除 {{target}} 的 {{cases}} 件案件的个人信息' },
        erase: { name: '删除个人信息', text: '案件 {{target}} 的个人信息已删除' },
        certificate: { name: '删除证明', text: '{{who}} 签发了 {{cases}} 件案件的删除证明' },
        certificateDownload: { name: '下载删除证明', text: '{{who}} 下载了删除证明' },
      },
      reportSchedules: {
        save: { name: '保存报表计划', text: '{{who}} 保存了报表计划' },
        delete: { name: '删除报表计划', text: '{{who}} 删除了报表计划' },
      },
    },
    fields: {
      amountFen: '金额', paidOn: '回款日期', channel: '渠道', source: '来源', paymentId: '回款', reversalId: '冲正',
      reason: '原因', caseNo: '案件号', from: '从', to: '到', before: '修改前', after: '修改后', note: '备注', username: '用户名',
      role: '角色', teamId: '小组', name: '名称', code: '代码', outcome: '结果', party: '对象', direction: '方向',
      claimedAt: '所称时间', enteredAt: '录入时间', lateMinutes: '延迟录入（分钟）', lateReason: '延迟原因', attemptId: '联系记录',
      planId: '方案', kind: '类型', totalFen: '合计', owedFen: '欠款', waiverFen: '减免', paidFen: '已还', installments: '期数',
      file: '文件', fileName: '文件', sha256: 'SHA-256', imported: '新增', updated: '更新', rejected: '拒绝', posted: '入账',
      matched: '匹配', rows: '行数', lender: '委托方', batchNo: '批次', template: '模板', month: '月份', flag: '标记',
      on: '日期', complaintId: '投诉', folder: '文件夹', bytes: '大小（字节）', cases: '案件数', changed: '变更', assigned: '已分配',
      selected: '选中', unassignable: '无法分配', rule: '规则', status: '状态', agencyName: '机构', attemptedAt: '尝试时间',
      lawFirm: '律所', fingerprint: '指纹', error: '错误', testClock: '测试时钟',
      message: '说明', generation: '密钥代次', anchoredSeq: '锚定条目', anchoredAt: '锚定时间', headSeq: '最新条目', previous: '之前', target: '目标', createdAt: '创建时间',
      field: '字段', runId: '删除批次', views: '查看次数', unmasks: '查看完整次数', path: '路径',
      listen: '监听地址', sessionsEnded: '结束的会话', autoStart: '登录后自动提供服务',
    },
  },
};
