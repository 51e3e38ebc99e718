import { defineTemplate } from '../template';

export const opsTemplates = {
  selfTest: defineTemplate<{ runId: string; startedAt: string }>({
    'zh-CN': (d, ctx) => ({
      subject: `[自检] 服务链路正常 ${d.runId}`,
      greeting: '运维同事，您好：',
      paragraphs: ['这封邮件由自检工作流发送：工作流、数据库和邮件服务均已连通。'],
      facts: [
        ['自检编号', d.runId],
        ['开始时间', d.startedAt],
      ],
      action: { label: '查看服务状态', url: ctx.link('/readyz') },
    }),
    en: (d, ctx) => ({
      subject: `[self-test] service path healthy ${d.runId}`,
      greeting: 'Hello operator,',
      paragraphs: [
        'This mail was sent by the self-test workflow: workflows, database and mail are connected.',
      ],
      facts: [
        ['Self-test', d.runId],
        ['Started', d.startedAt],
      ],
      action: { label: 'Service status', url: ctx.link('/readyz') },
    }),
  }),
};
