import { withCheckCharacter } from '../domain/credit-code';
import { normalizeStandardCode } from '../domain/standards';
import { INDUSTRIES } from '../scripts/demo-catalog-data';

/**
 * The country the scale benchmark seeds: every row is a pure function of the seed and its own index
 * (a hash, not a sequence of draws), so the seeder, the audit workers and the checks compute the same
 * enterprise, voucher or booking wherever they ask for it.
 */

export const DAY = 86_400_000;
/** The five programme years 2022–2026, up to 26 November 2026 00:00 Beijing time. */
export const START = Date.UTC(2021, 11, 31, 16);
export const END = Date.UTC(2026, 10, 25, 16);
export const VALIDITY_DAYS = 180;

export interface Counts {
  enterprises: number;
  providers: number;
  applications: number;
  vouchers: number;
  bookings: number;
  auditEntries: number;
}

export function countsAt(factor: number): Counts {
  const at = (n: number) => Math.max(1, Math.round(n * factor));
  const applications = at(500_000);
  return {
    enterprises: at(200_000),
    providers: Math.max(2, at(2_000)),
    applications,
    vouchers: Math.min(applications, at(400_000)),
    bookings: at(1_000_000),
    auditEntries: at(10_000_000),
  };
}

// ---- deterministic randomness -------------------------------------------------------------------

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) for (seed, tag, index, draw). */
export function rand(seed: number, tag: number, index: number, draw = 0): number {
  let h = mix(seed ^ Math.imul(tag, 0x9e3779b1));
  h = mix(h ^ index);
  h = mix(h ^ Math.imul(draw + 1, 0x27d4eb2f));
  h = mix(h ^ Math.floor(index / 4_294_967_296));
  return h / 4_294_967_296;
}

export const between = (u: number, lo: number, hi: number) => lo + Math.floor(u * (hi - lo + 1));

export function weighted<T>(items: readonly (readonly [T, number])[], u: number): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let at = u * total;
  for (const [item, w] of items) {
    at -= w;
    if (at < 0) return item;
  }
  return items[items.length - 1]![0];
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** The low `width` hex digits of a 32-bit number. */
function hex(n: number, width: number): string {
  const full =
    BYTE_HEX[(n >>> 24) & 255]! +
    BYTE_HEX[(n >>> 16) & 255]! +
    BYTE_HEX[(n >>> 8) & 255]! +
    BYTE_HEX[n & 255]!;
  return width === 8 ? full : full.slice(8 - width);
}

/** Row ids: a UUID (version 4 layout) derived from the table and the row's index. */
export function idOf(table: number, index: number): string {
  const a = mix(table * 0x51ed27 + 0x1234567);
  const b = mix(index ^ a);
  const c = mix(b ^ Math.imul(table, 0x3c6ef372));
  return `${hex(b, 8)}-${hex(c >>> 16, 4)}-4${hex(c, 3)}-${hex(8 + (a & 3), 1)}${hex(a >>> 8, 3)}-${hex(table, 4)}${hex(index, 8)}`;
}

export const T = {
  programme: 1,
  enterprise: 2,
  provider: 3,
  user: 4,
  service: 5,
  accreditation: 6,
  application: 7,
  voucher: 8,
  booking: 9,
  claim: 10,
  dispute: 11,
  batch: 12,
  transfer: 13,
  entry: 14,
  approval: 15,
  audit: 16,
  // draws that are not rows
  province: 101,
  city: 102,
  industry: 103,
  size: 104,
  tags: 105,
  name: 106,
  appTime: 107,
  appFate: 108,
  face: 109,
  bookingTime: 110,
  bookingFate: 111,
  bookingProvider: 112,
  bookingLines: 113,
  claimFate: 114,
  providerKind: 115,
  providerStatus: 116,
  regional: 117,
  revoke: 118,
  useUp: 119,
  signIn: 120,
} as const;

// ---- geography and industry ---------------------------------------------------------------------

/** Provinces by their share of China's registered SMEs (rounded), with real prefecture codes. */
export const PROVINCE_WEIGHTS: readonly (readonly [string, number])[] = [
  ['44', 14],
  ['32', 12],
  ['33', 11],
  ['37', 9],
  ['31', 5],
  ['41', 5],
  ['11', 4],
  ['13', 4],
  ['51', 4],
  ['42', 4],
  ['35', 4],
  ['34', 4],
  ['43', 3],
  ['12', 2],
  ['21', 2],
  ['50', 2],
  ['61', 2],
  ['36', 2],
  ['45', 1.5],
  ['53', 1],
  ['14', 1],
  ['23', 1],
  ['22', 0.8],
  ['52', 0.8],
  ['15', 0.7],
  ['65', 0.6],
  ['62', 0.5],
  ['46', 0.4],
  ['64', 0.2],
  ['63', 0.1],
  ['54', 0.1],
];

const CITIES: Record<string, readonly (readonly [string, string, number])[]> = {
  '44': [
    ['4401', '广州', 4],
    ['4403', '深圳', 5],
    ['4406', '佛山', 2],
    ['4419', '东莞', 2],
    ['4413', '惠州', 1],
  ],
  '32': [
    ['3201', '南京', 2],
    ['3202', '无锡', 2],
    ['3205', '苏州', 4],
    ['3204', '常州', 1],
    ['3206', '南通', 1],
  ],
  '33': [
    ['3301', '杭州', 4],
    ['3302', '宁波', 3],
    ['3303', '温州', 2],
    ['3306', '绍兴', 1],
    ['3307', '金华', 1],
  ],
  '37': [
    ['3701', '济南', 2],
    ['3702', '青岛', 3],
    ['3703', '淄博', 1],
    ['3706', '烟台', 1],
    ['3707', '潍坊', 1],
  ],
  '31': [['3101', '上海', 1]],
  '11': [['1101', '北京', 1]],
  '12': [['1201', '天津', 1]],
  '50': [['5001', '重庆', 1]],
  '41': [
    ['4101', '郑州', 3],
    ['4103', '洛阳', 1],
  ],
  '13': [
    ['1301', '石家庄', 2],
    ['1302', '唐山', 1],
  ],
  '51': [
    ['5101', '成都', 4],
    ['5107', '绵阳', 1],
  ],
  '42': [
    ['4201', '武汉', 4],
    ['4206', '襄阳', 1],
  ],
  '35': [
    ['3501', '福州', 2],
    ['3502', '厦门', 2],
    ['3505', '泉州', 2],
  ],
  '34': [
    ['3401', '合肥', 3],
    ['3402', '芜湖', 1],
  ],
  '43': [
    ['4301', '长沙', 3],
    ['4302', '株洲', 1],
  ],
  '21': [
    ['2101', '沈阳', 1],
    ['2102', '大连', 1],
  ],
  '61': [['6101', '西安', 1]],
  '36': [['3601', '南昌', 1]],
  '45': [['4501', '南宁', 1]],
  '53': [['5301', '昆明', 1]],
  '14': [['1401', '太原', 1]],
  '23': [['2301', '哈尔滨', 1]],
  '22': [['2201', '长春', 1]],
  '52': [['5201', '贵阳', 1]],
  '15': [['1501', '呼和浩特', 1]],
  '65': [['6501', '乌鲁木齐', 1]],
  '62': [['6201', '兰州', 1]],
  '46': [['4601', '海口', 1]],
  '64': [['6401', '银川', 1]],
  '63': [['6301', '西宁', 1]],
  '54': [['5401', '拉萨', 1]],
};
const CITY_CHOICES = new Map(
  Object.entries(CITIES).map(([province, cities]) => [
    province,
    cities.map(([code, name, w]) => [[code, name] as const, w] as const),
  ]),
);
const DISTRICTS = ['02', '03', '04', '05', '06', '07', '11', '12', '13', '14'];

export function regionOf(seed: number, tag: number, index: number) {
  const province = weighted(PROVINCE_WEIGHTS, rand(seed, T.province, index, tag));
  const [prefecture, city] = weighted(CITY_CHOICES.get(province)!, rand(seed, T.city, index, tag));
  const district = DISTRICTS[Math.floor(rand(seed, T.city, index, tag + 7) * DISTRICTS.length)]!;
  return { province, regionCode: `${prefecture}${district}`, city };
}

/** GB/T 4754-2017 classes: most applicants in the six industries of the 2023–2025 action. */
const INDUSTRY_CLASSES: readonly (readonly [string, number])[] = [
  ['C3311', 3],
  ['C3421', 4],
  ['C3441', 3],
  ['C3511', 3],
  ['C3523', 2],
  ['C3812', 4],
  ['C3831', 3],
  ['C3911', 3],
  ['C3971', 4],
  ['C4011', 2],
  ['C1711', 4],
  ['C1810', 3],
  ['C3110', 2],
  ['C3021', 3],
  ['C3039', 2],
  ['C3211', 2],
  ['C3240', 1],
  ['C2614', 3],
  ['C2922', 3],
  ['C3670', 3],
  ['C2710', 2],
  ['C1391', 2],
  ['I6510', 3],
  ['M7452', 2],
  ['F5176', 1],
];

const TRADE_NAMES = [
  '恒信',
  '华瑞',
  '鑫源',
  '嘉禾',
  '宏达',
  '瑞丰',
  '中科',
  '联创',
  '金泰',
  '新元',
  '天成',
  '永盛',
  '博远',
  '润泽',
  '安达',
  '汇通',
  '精工',
  '科迈',
  '长兴',
  '明辉',
  '盛世',
  '东方',
  '锦程',
  '卓越',
  '立信',
  '同舟',
];
const TRADE_WORDS: Record<string, string> = {
  C33: '金属制品',
  C34: '通用机械',
  C35: '专用设备',
  C38: '电气',
  C39: '电子科技',
  C40: '仪器仪表',
  C17: '纺织',
  C18: '服饰',
  C31: '钢铁',
  C30: '新型建材',
  C32: '有色金属',
  C26: '化工',
  C29: '塑胶',
  C36: '汽车零部件',
  C27: '医药',
  C13: '食品',
  I65: '软件',
  M74: '检测技术',
  F51: '贸易',
};
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const GIVEN = [
  '建国',
  '晓红',
  '伟',
  '洋',
  '静',
  '帆',
  '磊',
  '蕾',
  '强',
  '敏',
  '丽',
  '军',
  '芳',
  '涛',
  '鹏',
  '霞',
];

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A unified social credit code with the GB 32100 check character over a unique organisation code. */
export function creditCode(category: string, regionCode: string, unique: number): string {
  let n = unique;
  let org = '';
  for (let i = 0; i < 9; i += 1) {
    org = ALPHABET[n % 31]! + org;
    n = Math.floor(n / 31);
  }
  return withCheckCharacter(`${category}${regionCode}${org}`);
}

export const personName = (u: number, w: number) =>
  SURNAMES[Math.floor(u * SURNAMES.length)]! + GIVEN[Math.floor(w * GIVEN.length)]!;

export function enterpriseOf(seed: number, e: number) {
  const region = regionOf(seed, 0, e);
  const industryCode = weighted(INDUSTRY_CLASSES, rand(seed, T.industry, e));
  const trade = TRADE_NAMES[Math.floor(rand(seed, T.name, e) * TRADE_NAMES.length)]!;
  const employees = Math.max(3, Math.round(8 * Math.exp(rand(seed, T.size, e) * 3.6)));
  const tags: string[] = [];
  if (rand(seed, T.tags, e, 0) < 0.2) tags.push('SPECIALIZED_INNOVATIVE');
  if (rand(seed, T.tags, e, 1) < 0.03) tags.push('LITTLE_GIANT');
  if (rand(seed, T.tags, e, 2) < 0.15) tags.push('HIGH_TECH');
  if (rand(seed, T.tags, e, 3) < 0.3) tags.push('TECH_SME');
  return {
    id: idOf(T.enterprise, e),
    creditCode: creditCode('91', region.regionCode, 7 * e + 100_003),
    name: `${region.city}${trade}${TRADE_WORDS[industryCode.slice(0, 3)] ?? '实业'}有限公司（${e}）`,
    ...region,
    industryCode,
    employees,
    annualRevenueFen: employees * between(rand(seed, T.size, e, 1), 300_000, 1_200_000) * 100,
    legalRepresentative: personName(rand(seed, T.name, e, 1), rand(seed, T.name, e, 2)),
    contactPhone: `1${between(rand(seed, T.name, e, 3), 30, 99)}${String(e % 100_000_000).padStart(8, '0')}`,
    address: `${region.city}市${DISTRICTS.indexOf(region.regionCode.slice(4)) + 1}号工业园${(e % 300) + 1}号`,
    tags,
  };
}

// ---- providers and their catalog ----------------------------------------------------------------

export const PROFILES = INDUSTRIES.map((profile) => ({
  ...profile,
  services: profile.services.map((s) => ({
    ...s,
    standards: s.standards.map((code) => normalizeStandardCode(code) ?? code),
  })),
}));
const PROFILE_WEIGHTS = PROFILES.map((p, i) => [i, p.count] as const);

export type ProviderStatusName = 'PENDING_VERIFICATION' | 'LISTED' | 'SUSPENDED' | 'DELISTED' | 'REJECTED';
const PROVIDER_STATUSES: readonly (readonly [ProviderStatusName, number])[] = [
  ['LISTED', 92],
  ['PENDING_VERIFICATION', 3],
  ['SUSPENDED', 2],
  ['DELISTED', 2],
  ['REJECTED', 1],
];

export function providerOf(seed: number, p: number) {
  const region = regionOf(seed, 1, p);
  const profileIndex = weighted(PROFILE_WEIGHTS, rand(seed, T.providerKind, p));
  const profile = PROFILES[profileIndex]!;
  const status = p === 0 ? 'LISTED' : weighted(PROVIDER_STATUSES, rand(seed, T.providerStatus, p));
  const suffix = profile.suffixes[Math.floor(rand(seed, T.name, p, 5) * profile.suffixes.length)]!;
  return {
    id: idOf(T.provider, p),
    creditCode: creditCode('12', region.regionCode, 11 * p + 900_000_007),
    name: `${region.city}市${suffix}（${p}）`,
    kind: profile.kind,
    profileIndex,
    ...region,
    status,
    legalRepresentative: personName(rand(seed, T.name, p, 6), rand(seed, T.name, p, 7)),
    phone: `0${between(rand(seed, T.name, p, 8), 10, 99)}-${String(60_000_000 + p).slice(0, 8)}`,
    address: `${region.city}市检测园区${(p % 500) + 1}号`,
    /** registered in the first year, before the programmes opened to bookings */
    createdAt: START - DAY * 200 + Math.floor(rand(seed, T.providerStatus, p, 1) * DAY * 360),
  };
}

export const serviceIndex = (p: number, k: number) => p * 16 + k;

/** Providers that take bookings (listed now, or listed before they were suspended or delisted). */
export function bookableProviders(seed: number, providers: number) {
  const byProvince = new Map<string, number[]>();
  const all: number[] = [];
  for (let p = 0; p < providers; p += 1) {
    const provider = providerOf(seed, p);
    if (!['LISTED', 'SUSPENDED', 'DELISTED'].includes(provider.status)) continue;
    all.push(p);
    const list = byProvince.get(provider.province) ?? [];
    list.push(p);
    byProvince.set(provider.province, list);
  }
  return { all, byProvince };
}
