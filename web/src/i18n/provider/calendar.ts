import type { Strings } from '../strings';

/** The provider's capacity calendar page, in Chinese. */
export const calendarZh = {
  title: '检测能力日历',
  intro:
    '各项服务每天的检测能力（样品件数）：空余、预留（待本机构确认的预约）和已预订。选择某一天可查看当天的预约。',
  noProvider: '您的账号尚未关联服务机构。',
  noServices: '服务目录中还没有服务。',
  window: '{{from}} 至 {{to}}',
  earlier: '前四周',
  later: '后四周',
  thisWeek: '回到本周',
  gridCaption: '{{service}}：每日 {{capacity}} 件',
  week: '周',
  weekOf: '{{day}} 起',
  weekdays: { mon: '周一', tue: '周二', wed: '周三', thu: '周四', fri: '周五', sat: '周六', sun: '周日' },
  free: '空余 {{count}}',
  held: '预留 {{count}}',
  booked: '已订 {{count}}',
  past: '已过',
  keyboardHint: '用方向键在日期间移动，按回车或空格查看当天的预约。',
  dayHeading: '{{day}} · {{service}}',
  dayEmpty: '这一天没有预约占用该服务的检测能力。',
  openInInbox: '在预约收件箱中查看这一天',
  dayBooking: '预约 {{ref}}：{{samples}} 件样品',
};

export const calendarEn: Strings<typeof calendarZh> = {
  title: 'Capacity calendar',
  intro:
    'Each service’s daily capacity in samples: free, held (bookings waiting for your confirmation) and booked. Choose a day to see its bookings.',
  noProvider: 'Your account is not linked to a provider yet.',
  noServices: 'The catalog has no services yet.',
  window: '{{from}} to {{to}}',
  earlier: 'Four weeks earlier',
  later: 'Four weeks later',
  thisWeek: 'Back to this week',
  gridCaption: '{{service}}: {{capacity}} a day',
  week: 'Week',
  weekOf: 'from {{day}}',
  weekdays: { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' },
  free: '{{count}} free',
  held: '{{count}} held',
  booked: '{{count}} booked',
  past: 'past',
  keyboardHint: 'Move between days with the arrow keys; press Enter or Space to see a day’s bookings.',
  dayHeading: '{{day}} · {{service}}',
  dayEmpty: 'No booking holds this service’s capacity on this day.',
  openInInbox: 'See this day in the booking inbox',
  dayBooking: 'Booking {{ref}}: {{samples}} samples',
};
