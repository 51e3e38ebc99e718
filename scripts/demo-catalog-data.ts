import type { ProviderKind, ServiceCategory } from '../domain/catalog';

/**
 * What the demo catalog is made of: the six industries the 2023–2025 action names, plus metrology,
 * certification and public service platforms, with the standards their laboratories really test
 * to, in the provinces of the Yangtze River Delta, Guangdong and Shandong. Prices are in fen per
 * sample, typical of published price lists.
 */
export interface ServiceTemplate {
  name: string;
  category: ServiceCategory;
  standards: string[];
  unitPriceFen: number;
  turnaroundDays: number;
  dailyCapacity: number;
}

export interface IndustryProfile {
  key: string;
  kind: ProviderKind;
  /** the provider name after its city, e.g. 电子电器产品质量检验中心 */
  suffixes: string[];
  count: number;
  /** CNAS programme letter: L laboratory, IB inspection body, C certification body */
  cnas: 'L' | 'IB' | 'C';
  services: ServiceTemplate[];
}

const s = (
  name: string,
  category: ServiceCategory,
  standards: string[],
  yuan: number,
  turnaroundDays: number,
  dailyCapacity: number,
): ServiceTemplate => ({
  name,
  category,
  standards,
  unitPriceFen: yuan * 100,
  turnaroundDays,
  dailyCapacity,
});

export const INDUSTRIES: IndustryProfile[] = [
  {
    key: 'electronics',
    kind: 'LAB',
    suffixes: ['电子电器产品质量检验中心', '电子信息产品检测所', '电磁兼容检测实验室'],
    count: 10,
    cnas: 'L',
    services: [
      s('高低温及湿热环境试验', 'TESTING', ['GB/T 2423.1', 'GB/T 2423.2', 'GB/T 2423.3'], 1800, 5, 6),
      s('振动与冲击试验', 'TESTING', ['GB/T 2423.10', 'GB/T 2423.5'], 2500, 4, 4),
      s('盐雾试验', 'TESTING', ['GB/T 2423.17'], 900, 4, 8),
      s(
        '静电放电、辐射、快速瞬变、浪涌抗扰度',
        'TESTING',
        ['IEC 61000-4-2', 'IEC 61000-4-3', 'IEC 61000-4-4', 'IEC 61000-4-5'],
        4200,
        7,
        3,
      ),
      s('信息技术设备安全', 'TESTING', ['GB 4943.1'], 3500, 10, 3),
      s('电磁骚扰测量', 'TESTING', ['GB/T 9254.1', 'CISPR 32'], 3000, 6, 3),
      s('谐波电流发射', 'TESTING', ['GB 17625.1'], 1600, 4, 4),
    ],
  },
  {
    key: 'machinery',
    kind: 'LAB',
    suffixes: ['机械产品质量检测所', '机电产品检测中心', '通用机械检测站'],
    count: 9,
    cnas: 'L',
    services: [
      s('机械电气设备安全', 'TESTING', ['GB 5226.1'], 4000, 10, 2),
      s('齿轮精度检测', 'INSPECTION', ['GB/T 10095.1'], 1200, 5, 6),
      s('噪声声功率级测定', 'TESTING', ['GB/T 3768'], 2200, 5, 3),
      s('洛氏及布氏硬度', 'TESTING', ['GB/T 230.1', 'GB/T 231.1'], 300, 2, 20),
      s('振动试验', 'TESTING', ['GB/T 2423.10'], 2300, 4, 4),
      s('金属材料室温拉伸', 'TESTING', ['GB/T 228.1'], 350, 2, 15),
    ],
  },
  {
    key: 'textiles',
    kind: 'LAB',
    suffixes: ['纺织品检验所', '纺织服装检测中心', '纤维检验所'],
    count: 8,
    cnas: 'L',
    services: [
      s('纺织品基本安全技术规范（含甲醛）', 'TESTING', ['GB 18401', 'GB/T 2912.1'], 600, 5, 20),
      s('织物断裂强力（条样法）', 'TESTING', ['GB/T 3923.1'], 250, 3, 25),
      s('色牢度（摩擦、皂洗、水渍）', 'TESTING', ['GB/T 3920', 'GB/T 3921', 'GB/T 5713'], 350, 4, 25),
      s('纤维含量定量分析', 'TESTING', ['FZ/T 01057', 'GB/T 2910.1'], 300, 4, 20),
      s('起毛起球', 'TESTING', ['GB/T 4802.1'], 200, 3, 30),
    ],
  },
  {
    key: 'steel',
    kind: 'INSPECTION_BODY',
    suffixes: ['钢铁产品质量检验站', '冶金产品检测中心', '钢材质量监督检验所'],
    count: 7,
    cnas: 'IB',
    services: [
      s('金属材料室温拉伸', 'TESTING', ['GB/T 228.1'], 300, 2, 30),
      s('夏比摆锤冲击', 'TESTING', ['GB/T 229'], 250, 2, 30),
      s('碳素及低合金结构钢产品检验', 'INSPECTION', ['GB/T 700', 'GB/T 1591'], 1500, 5, 8),
      s('火花源原子发射光谱化学成分', 'TESTING', ['GB/T 4336'], 400, 2, 20),
      s('弯曲试验', 'TESTING', ['GB/T 232'], 150, 2, 30),
      s('热轧带肋钢筋检验', 'INSPECTION', ['GB/T 1499.2'], 800, 3, 15),
    ],
  },
  {
    key: 'buildingMaterials',
    kind: 'LAB',
    suffixes: ['建筑材料检测中心', '建设工程质量检测站', '建材产品质量检验所'],
    count: 7,
    cnas: 'L',
    services: [
      s('通用硅酸盐水泥全项（含 28 天强度）', 'TESTING', ['GB 175', 'GB/T 17671', 'GB/T 1346'], 1200, 28, 10),
      s('混凝土力学性能', 'TESTING', ['GB/T 50081'], 300, 28, 40),
      s('建筑材料放射性核素', 'TESTING', ['GB 6566'], 800, 7, 10),
      s('建设用砂、卵石碎石', 'TESTING', ['GB/T 14684', 'GB/T 14685'], 600, 5, 15),
    ],
  },
  {
    key: 'nonFerrousMetals',
    kind: 'LAB',
    suffixes: ['有色金属检测中心', '有色金属产品质量检验所'],
    count: 6,
    cnas: 'L',
    services: [
      s('铜及铜合金化学分析', 'TESTING', ['GB/T 5121.1', 'GB/T 5231'], 500, 3, 20),
      s('铝及铝合金化学成分', 'TESTING', ['GB/T 20975.1', 'GB/T 3190'], 500, 3, 20),
      s('铝合金板带力学性能', 'TESTING', ['GB/T 3880.1', 'GB/T 228.1'], 400, 3, 20),
    ],
  },
  {
    key: 'metrology',
    kind: 'METROLOGY',
    suffixes: ['计量测试研究院', '计量检定所'],
    count: 6,
    cnas: 'L',
    services: [
      s('电子天平检定', 'METROLOGY', ['JJG 1036'], 150, 3, 20),
      s('弹簧管式压力表检定', 'METROLOGY', ['JJG 52'], 80, 3, 40),
      s('游标卡尺、千分尺检定', 'METROLOGY', ['JJG 30', 'JJG 21'], 60, 2, 40),
      s('数字温度指示调节仪检定', 'METROLOGY', ['JJG 617'], 200, 4, 15),
      s('测量不确定度评定咨询', 'STANDARDIZATION_CONSULTING', ['JJF 1059.1'], 2000, 10, 2),
    ],
  },
  {
    key: 'certification',
    kind: 'CERTIFICATION',
    suffixes: ['质量认证中心', '认证有限公司'],
    count: 3,
    cnas: 'C',
    services: [
      s('质量管理体系认证', 'CERTIFICATION', ['GB/T 19001'], 30000, 30, 1),
      s('环境与职业健康安全管理体系认证', 'CERTIFICATION', ['GB/T 24001', 'GB/T 45001'], 40000, 30, 1),
    ],
  },
  {
    key: 'platform',
    kind: 'PUBLIC_SERVICE_PLATFORM',
    suffixes: ['中小企业质量技术公共服务平台', '产业计量测试服务平台'],
    count: 3,
    cnas: 'L',
    services: [
      s('质量管理体系建立咨询', 'STANDARDIZATION_CONSULTING', ['GB/T 19001'], 8000, 20, 2),
      s(
        '高低温环境试验（共享设备）',
        'EXPERIMENTAL_VERIFICATION',
        ['GB/T 2423.1', 'GB/T 2423.2'],
        1200,
        6,
        4,
      ),
      s('金属材料室温拉伸（共享设备）', 'EXPERIMENTAL_VERIFICATION', ['GB/T 228.1'], 250, 3, 10),
    ],
  },
];

/** Districts (GB/T 2260) the demo providers sit in, with the city their name starts with. */
export const DISTRICTS: { code: string; city: string; address: string }[] = [
  { code: '310115', city: '上海浦东', address: '上海市浦东新区张衡路 1000 号' },
  { code: '310112', city: '上海闵行', address: '上海市闵行区剑川路 955 号' },
  { code: '310104', city: '上海徐汇', address: '上海市徐汇区宜山路 700 号' },
  { code: '310114', city: '上海嘉定', address: '上海市嘉定区叶城路 1118 号' },
  { code: '320505', city: '苏州', address: '江苏省苏州市高新区科灵路 78 号' },
  { code: '320115', city: '南京', address: '江苏省南京市江宁区天元西路 59 号' },
  { code: '320214', city: '无锡', address: '江苏省无锡市新吴区菱湖大道 200 号' },
  { code: '320412', city: '常州', address: '江苏省常州市武进区常武中路 18 号' },
  { code: '330106', city: '杭州', address: '浙江省杭州市西湖区文一西路 522 号' },
  { code: '330212', city: '宁波', address: '浙江省宁波市鄞州区首南西路 88 号' },
  { code: '330602', city: '绍兴', address: '浙江省绍兴市越城区中兴中路 375 号' },
  { code: '330782', city: '义乌', address: '浙江省义乌市稠州北路 1 号' },
  { code: '340104', city: '合肥', address: '安徽省合肥市蜀山区望江西路 5089 号' },
  { code: '340207', city: '芜湖', address: '安徽省芜湖市鸠江区银湖北路 18 号' },
  { code: '440305', city: '深圳', address: '广东省深圳市南山区高新南七道 10 号' },
  { code: '440106', city: '广州', address: '广东省广州市天河区黄埔大道西 363 号' },
  { code: '441900', city: '东莞', address: '广东省东莞市松山湖科技产业园区科技十路 5 号' },
  { code: '440604', city: '佛山', address: '广东省佛山市禅城区季华五路 21 号' },
  { code: '370112', city: '济南', address: '山东省济南市历城区港兴三路 1000 号' },
  { code: '370212', city: '青岛', address: '山东省青岛市崂山区株洲路 151 号' },
  { code: '370303', city: '淄博', address: '山东省淄博市张店区华光路 366 号' },
];

export const LEGAL_REPRESENTATIVES = [
  '王建国',
  '李晓红',
  '张伟',
  '刘洋',
  '陈静',
  '杨帆',
  '赵磊',
  '黄蕾',
  '周强',
  '吴敏',
];
