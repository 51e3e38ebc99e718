import type { Strings } from '../strings';

/** The administrator's work queues (applications, providers, claims, disputes, processes), in Chinese. */
export const queueZh = {
  filters: '筛选与排序',
  status: '状态',
  allStatuses: '全部状态',
  programme: '项目',
  allProgrammes: '全部项目',
  search: '搜索',
  searchHint: {
    applications: '企业名称中的文字',
    providers: '机构名称中的文字',
    claims: '企业、机构、检测券编号或编号中的文字',
    disputes: '企业、机构、异议理由或编号中的文字',
    processes: '流程编号、流程类型、原因或出错步骤中的文字',
  },
  sort: '排序',
  oldest: '最早的优先',
  deadline: '期限最近优先',
  newest: '最新的优先',
  count: '共 {{count}} 条',
  export: '导出 CSV（当前筛选结果）',
  file: {
    applications: '检测券申请审核',
    providers: '机构资质审核',
    claims: '补贴申领审核',
    disputes: '报告争议',
    processes: '异常流程',
  },
  id: '编号',
  none: '没有符合条件的事项。',
  more: '加载更多',
  noDue: '无',
};

/** The administrator's work queues (applications, providers, claims, disputes, processes), in English. */
export const queueEn: Strings<typeof queueZh> = {
  filters: 'Filter and sort',
  status: 'Status',
  allStatuses: 'All statuses',
  programme: 'Programme',
  allProgrammes: 'All programmes',
  search: 'Search',
  searchHint: {
    applications: 'Part of the enterprise’s name',
    providers: 'Part of the provider’s name',
    claims: 'Enterprise, provider, voucher code or part of an id',
    disputes: 'Enterprise, provider, the reason given or part of an id',
    processes: 'Process id or type, the reason, or the failing step',
  },
  sort: 'Order',
  oldest: 'Oldest first',
  deadline: 'Nearest deadline first',
  newest: 'Newest first',
  count: '{{count}} in all',
  export: 'Export CSV (as filtered)',
  file: {
    applications: 'applications-to-review',
    providers: 'providers-to-verify',
    claims: 'claims-to-review',
    disputes: 'disputed-reports',
    processes: 'processes-needing-attention',
  },
  id: 'ID',
  none: 'Nothing matches.',
  more: 'Load more',
  noDue: 'none',
};
