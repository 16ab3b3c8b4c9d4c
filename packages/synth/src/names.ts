import { type Rng, Weighted } from './random.ts';
import type { Sex } from './types.ts';

/**
 * Surnames weighted by the Ministry of Public Security's 2020 national ranking (王 ~7.1%, 李 ~7.0%,
 * 张 ~6.6%, 刘 ~5.4%, 陈 ~4.6% …), with surnames frequent in Xiaogan (胡, 熊, 程, 余, 邹, 汪, 彭, 喻,
 * 肖, 涂) raised: central-Hubei villages are often single-clan (熊家湾, 程家畈).
 */
// biome-ignore format: compact table, one row per line would hide the data
const SURNAME_TABLE: readonly (readonly [string, number])[] = [
  ['王', 71], ['李', 70], ['张', 66], ['刘', 54], ['陈', 46], ['杨', 31], ['黄', 25], ['赵', 20],
  ['吴', 20], ['周', 19], ['徐', 17], ['孙', 15], ['马', 15], ['朱', 14], ['胡', 30], ['郭', 13],
  ['何', 12], ['林', 12], ['高', 12], ['罗', 12], ['郑', 11], ['梁', 10], ['谢', 9], ['宋', 9],
  ['唐', 8], ['许', 8], ['韩', 8], ['邓', 8], ['冯', 8], ['曹', 7], ['彭', 14], ['曾', 7], ['肖', 12],
  ['田', 6], ['董', 6], ['潘', 5], ['袁', 5], ['蔡', 5], ['蒋', 5], ['余', 16], ['于', 5], ['杜', 5],
  ['叶', 5], ['程', 18], ['魏', 5], ['苏', 4], ['吕', 4], ['丁', 4], ['任', 4], ['卢', 4], ['姚', 4],
  ['沈', 4], ['钟', 4], ['姜', 4], ['崔', 4], ['谭', 4], ['陆', 3], ['范', 3], ['汪', 12], ['廖', 3],
  ['石', 3], ['金', 3], ['韦', 3], ['贾', 3], ['夏', 5], ['付', 3], ['方', 4], ['邹', 14], ['熊', 20],
  ['白', 2], ['孟', 2], ['秦', 2], ['邱', 3], ['侯', 2], ['江', 3], ['尹', 2], ['薛', 2], ['闵', 2],
  ['段', 2], ['雷', 3], ['黎', 2], ['史', 2], ['龙', 2], ['陶', 3], ['贺', 2], ['顾', 2], ['毛', 2],
  ['郝', 2], ['龚', 3], ['邵', 2], ['万', 3], ['喻', 6], ['涂', 6], ['戴', 2], ['严', 2], ['易', 3],
  ['左', 2], ['鲁', 2], ['晏', 3], ['欧阳', 1], ['诸葛', 0.2],
];

export const SURNAMES = new Weighted<string>(SURNAME_TABLE);
const SURNAME_LIST = SURNAME_TABLE.map((e) => e[0]);

/**
 * Each village's clan surname, chosen from the table by a hash of its code so it does not consume
 * the random stream (villages are input, not generated).
 */
export function clanSurname(villageCode: string): string {
  let h = 2166136261;
  for (let i = 0; i < villageCode.length; i++) h = Math.imul(h ^ villageCode.charCodeAt(i), 16777619);
  // Only the 40 most frequent surnames make clan villages.
  return SURNAME_LIST[(h >>> 0) % 40] as string;
}

/**
 * Given-name characters by era and sex. Names follow fashions: 建国/秀英 in the 1950s, 伟/芳/丽 in the
 * 1970s–80s, 浩/宇/欣/怡 and 子涵 after 2000 (MPS 2020 report on popular given names).
 */
const POOLS: Record<'old' | 'middle' | 'young', Record<Sex, string>> = {
  old: {
    male: '建国德明忠华贵福生长发国庆志兴林海山春荣富有全东平正义和清祥',
    female: '秀英桂兰玉珍凤梅翠香淑芳兰花菊云金莲爱琴素娥巧珍仙彩',
  },
  middle: {
    male: '伟军勇强斌杰涛鹏磊超刚辉峰波亮俊文明武宏飞建平华锋兵',
    female: '芳丽娟敏静燕红艳霞玲琴萍婷霞莉娜丹慧琳洁雪丽梅蓉',
  },
  young: {
    male: '浩宇轩子睿博文俊泽铭豪辰晨逸然一航皓宸阳鑫杰瑞梓彬',
    female: '欣怡梓涵诗雨萱思琪佳悦可馨一诺雅婷紫若汐语彤钰晗菲',
  },
};

/**
 * Rare characters (生僻字), some outside the Basic Multilingual Plane (𠮷 U+20BB7, 𡒄 U+21484): they
 * test that every layer stores and masks names by code point, not by UTF-16 unit. Real registries
 * hold them (the 2017 MPS rare-character project). Kept as arrays of code points to stay explicit.
 */
export const RARE_CHARACTERS: readonly string[] = [
  '𠮷',
  '㛃',
  '䶮',
  '龑',
  '𡒄',
  '㼆',
  '堃',
  '喆',
  '淏',
  '昇',
];

/** Share of persons whose given name carries a rare character. */
export const RARE_NAME_SHARE = 0.004;

function eraOf(birthYear: number): 'old' | 'middle' | 'young' {
  if (birthYear < 1965) return 'old';
  if (birthYear < 1995) return 'middle';
  return 'young';
}

const POOL_CHARS = new Map<string, string[]>();
function charFrom(rng: Rng, pool: string): string {
  let chars = POOL_CHARS.get(pool);
  if (!chars) {
    chars = Array.from(pool);
    POOL_CHARS.set(pool, chars);
  }
  return rng.pick(chars);
}

/** A given name: one or two characters; single-character names peaked among 1980s–2000s births. */
export function givenName(rng: Rng, sex: Sex, birthYear: number): string {
  const pool = POOLS[eraOf(birthYear)][sex];
  const singleShare = birthYear >= 1980 && birthYear < 2005 ? 0.3 : 0.12;
  let name = rng.chance(singleShare) ? charFrom(rng, pool) : charFrom(rng, pool) + charFrom(rng, pool);
  if (rng.chance(RARE_NAME_SHARE)) {
    const rare = rng.pick(RARE_CHARACTERS);
    const chars = Array.from(name);
    chars[chars.length - 1] = rare;
    name = chars.join('');
  }
  return name;
}

export function fullName(rng: Rng, surname: string, sex: Sex, birthYear: number): string {
  let given = givenName(rng, sex, birthYear);
  // Avoid the odd 王王-style doubling unless the pool forced it.
  if (Array.from(given)[0] === surname) given = givenName(rng, sex, birthYear);
  return surname + given;
}

/** Head surname: a clan village's surname for 40% of households, else the general distribution. */
export function householdSurname(rng: Rng, villageCode: string): string {
  return rng.chance(0.4) ? clanSurname(villageCode) : SURNAMES.draw(rng);
}

/** A surname for someone who married in: drawn from the general distribution. */
export function outsiderSurname(rng: Rng): string {
  return SURNAMES.draw(rng);
}

export function containsRareCharacter(name: string): boolean {
  return RARE_CHARACTERS.some((c) => name.includes(c));
}
