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
  processFailed: defineTemplate<{ workflowId: string; entity: string; failure: string; outcome: string }>({
    'zh-CN': (d, ctx) => ({
      subject: `[流程失败] ${d.entity}`,
      greeting: '运维同事，您好：',
      paragraphs: [
        '一个业务流程失败，已由其上级流程接管：',
        d.failure,
        `处理结果：${d.outcome}`,
        '请在失败流程列表中查看，并在 Temporal UI 中检查其历史。',
      ],
      facts: [
        ['流程', d.workflowId],
        ['业务对象', d.entity],
      ],
      action: { label: '失败流程', url: ctx.link('/api/v1/processes?status=FAILED') },
    }),
    en: (d, ctx) => ({
      subject: `[process failed] ${d.entity}`,
      greeting: 'Hello operator,',
      paragraphs: [
        'A business process failed and its parent took over:',
        d.failure,
        `Outcome: ${d.outcome}`,
        'See the list of failed processes, and its history in the Temporal UI.',
      ],
      facts: [
        ['Process', d.workflowId],
        ['Item', d.entity],
      ],
      action: { label: 'Failed processes', url: ctx.link('/api/v1/processes?status=FAILED') },
    }),
  }),
};
