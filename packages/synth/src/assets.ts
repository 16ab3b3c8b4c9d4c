import { addYears, ageOn, randomDate } from './dates.ts';
import { creditCode, plateNumber, realEstateCertificate } from './identifiers.ts';
import { BANKS, SECURITIES_FIRMS } from './places.ts';
import type { Rng } from './random.ts';
import type {
  Assets,
  BusinessRole,
  DepositAccount,
  HiddenItem,
  HiddenItemKind,
  IncomeByType,
  Person,
  Property,
  Vehicle,
} from './types.ts';

/**
 * True assets. Shares and medians (yuan) and their basis:
 *  - deposits: median household balance 40,000 outside assistance (PBoC household surveys put rural
 *    savings far below urban), 3,000 in assisted households (limits are a few months of the standard);
 *  - securities or wealth products: 5% of rural, 10% of urban households outside assistance;
 *  - housing: a registered homestead house for 55% of rural households (房地一体 certificates were
 *    still being issued in Hubei), an apartment for 85% of urban households, and a county-town
 *    apartment for 18% of rural households (bought for schooling or a son's marriage);
 *  - cars: ~30 per 100 rural and 40 per 100 urban households (NBS 2023 durable goods); motorcycles
 *    for a quarter of rural households; disability vehicles for some physically disabled persons;
 *  - business: most self-employed register an individual business; ~1.5% of households have a company role.
 * Values are what a household would fetch or paid, in fen.
 */
const YUAN = 100;
const COUNTY_TOWN_PRICE_YUAN_M2 = 4_800;

export interface AssetContext {
  rng: Rng;
  asOf: string;
  householdId: string;
  countyCode: string;
  villageCode: string;
  address: string;
  urban: boolean;
  /** Assisted households (dibao, tekun, near-dibao) hold little and no car or company. */
  assisted: boolean;
}

class AssetIds {
  private n = 0;
  constructor(private readonly householdId: string) {}
  next(): string {
    this.n += 1;
    return `${this.householdId}-A${this.n}`;
  }
}

function adults(members: readonly Person[], asOf: string): Person[] {
  const out = members.filter((p) => ageOn(p.birthDate, asOf) >= 18 && p.deathDate === null);
  return out.length > 0 ? out : [members[0] as Person];
}

function workingAdults(members: readonly Person[], asOf: string): Person[] {
  const out = adults(members, asOf).filter((p) => ageOn(p.birthDate, asOf) < 60);
  return out.length > 0 ? out : adults(members, asOf);
}

function deposit(
  ctx: AssetContext,
  ids: AssetIds,
  owner: Person,
  balanceFen: number,
  kind: DepositAccount['kind'],
): DepositAccount {
  const bank = kind === 'securities' ? ctx.rng.pick(SECURITIES_FIRMS) : BANKS.draw(ctx.rng);
  return { id: ids.next(), personId: owner.id, bank, kind, balanceFen };
}

function property(
  ctx: AssetContext,
  ids: AssetIds,
  owner: Person,
  use: Property['use'],
  where: { location: string; regionCode: string; registry: string; priceYuanM2: number },
  areaM2: [number, number],
): Property {
  const { rng, asOf } = ctx;
  const areaCentiM2 = rng.int(areaM2[0] * 100, areaM2[1] * 100);
  const registeredOn = randomDate(rng, addYears(asOf, -15), asOf);
  return {
    id: ids.next(),
    personId: owner.id,
    certificateNumber: realEstateCertificate(rng, registeredOn.slice(0, 4), where.registry),
    location: where.location,
    regionCode: where.regionCode,
    areaCentiM2,
    use,
    registeredOn,
    valueFen: Math.round((areaCentiM2 * where.priceYuanM2 * YUAN) / 100),
  };
}

function countyTown(ctx: AssetContext): {
  location: string;
  regionCode: string;
  registry: string;
  priceYuanM2: number;
} {
  const { rng } = ctx;
  return {
    location: `孝昌县花园镇${rng.pick(['书院街', '槐荫大道', '孝昌大道', '横店路', '澴河路'])}${rng.int(1, 300)}号${rng.int(1, 20)}栋${rng.int(1, 3)}单元${rng.int(1, 28)}0${rng.int(1, 4)}室`,
    regionCode: `${ctx.countyCode}100`, // the county-seat township (花园镇)
    registry: '孝昌县',
    priceYuanM2: rng.int(COUNTY_TOWN_PRICE_YUAN_M2 - 800, COUNTY_TOWN_PRICE_YUAN_M2 + 800),
  };
}

function vehicle(
  ctx: AssetContext,
  ids: AssetIds,
  owner: Person,
  kind: Vehicle['kind'],
  priceYuan: [number, number],
  disabilityVehicle = false,
): Vehicle {
  const { rng, asOf } = ctx;
  const newEnergy = kind === 'car' && rng.chance(0.2);
  const brands =
    kind === 'car'
      ? ['比亚迪', '五菱', '吉利', '长安', '大众', '丰田', '东风', '奇瑞', '哈弗']
      : kind === 'truck'
        ? ['福田', '东风', '江淮', '五菱荣光']
        : ['豪爵', '雅迪', '宗申', '新大洲本田'];
  return {
    id: ids.next(),
    personId: owner.id,
    plate: plateNumber(rng, newEnergy),
    kind,
    brand: rng.pick(brands),
    purchasePriceFen: rng.int(priceYuan[0], priceYuan[1]) * YUAN,
    registeredOn: randomDate(rng, addYears(asOf, -12), asOf),
    disabilityVehicle,
  };
}

function business(
  ctx: AssetContext,
  ids: AssetIds,
  owner: Person,
  company: boolean,
  monthlyIncomeFen: number,
): BusinessRole {
  const { rng, asOf } = ctx;
  const trade = rng.pick(
    company
      ? ['建筑工程', '农业科技', '商贸', '物流', '食品']
      : ['便利店', '餐馆', '农资店', '摩托车修理部', '理发店', '建材店'],
  );
  const entityName = company
    ? `孝感市${rng.pick(['鑫源', '恒达', '润丰', '华发', '金鼎'])}${trade}有限公司`
    : `孝昌县${owner.name}${trade}`;
  return {
    id: ids.next(),
    personId: owner.id,
    entityName,
    creditCode: creditCode(rng, !company, ctx.countyCode),
    entityType: company ? 'company' : 'individualBusiness',
    role: company ? (rng.chance(0.7) ? 'legalRepresentative' : 'shareholder') : 'operator',
    registeredCapitalFen: (company ? rng.int(50, 500) * 10_000 : rng.int(1, 20) * 10_000) * YUAN,
    registeredOn: randomDate(rng, addYears(asOf, -12), addYears(asOf, -1)),
    monthlyIncomeFen,
  };
}

/** The household's true assets. Business income of the self-employed is attached to their registration. */
export function makeAssets(
  ctx: AssetContext,
  members: readonly Person[],
  incomes: readonly IncomeByType[],
): Assets {
  const { rng, asOf, urban, assisted } = ctx;
  const ids = new AssetIds(ctx.householdId);
  const owners = adults(members, asOf);
  const head = members[0] as Person;
  const assets: Assets = { deposits: [], properties: [], vehicles: [], businesses: [] };

  const totalDeposit = assisted
    ? rng.logNormal(3_000 * YUAN, 0.8, 0, 30_000 * YUAN)
    : rng.logNormal(40_000 * YUAN, 1.0, 0, 3_000_000 * YUAN);
  const accounts = Math.min(owners.length + 1, rng.int(1, 3));
  for (let i = 0; i < accounts; i++) {
    const share = i === accounts - 1 ? 1 : rng.float() * 0.6;
    const used = assets.deposits.reduce((s, d) => s + d.balanceFen, 0);
    const balance = i === accounts - 1 ? totalDeposit - used : Math.round((totalDeposit - used) * share);
    assets.deposits.push(
      deposit(ctx, ids, i === 0 ? head : rng.pick(owners), Math.max(0, balance), 'deposit'),
    );
  }
  if (!assisted && rng.chance(urban ? 0.1 : 0.05)) {
    assets.deposits.push(
      deposit(
        ctx,
        ids,
        rng.pick(owners),
        rng.logNormal(50_000 * YUAN, 0.9, 1_000 * YUAN),
        rng.chance(0.5) ? 'securities' : 'wealthProduct',
      ),
    );
  }

  if (urban) {
    if (rng.chance(assisted ? 0.45 : 0.85))
      assets.properties.push(property(ctx, ids, head, 'residential', countyTown(ctx), [55, 140]));
  } else {
    if (rng.chance(0.55)) {
      const home = {
        location: ctx.address,
        regionCode: ctx.villageCode,
        registry: '孝昌县',
        priceYuanM2: rng.int(800, 1_500),
      };
      assets.properties.push(property(ctx, ids, head, 'homestead', home, [90, 260]));
    }
    if (!assisted && rng.chance(0.18))
      assets.properties.push(
        property(ctx, ids, rng.pick(workingAdults(members, asOf)), 'residential', countyTown(ctx), [80, 140]),
      );
  }

  if (!assisted && rng.chance(urban ? 0.4 : 0.3)) {
    assets.vehicles.push(vehicle(ctx, ids, rng.pick(workingAdults(members, asOf)), 'car', [45_000, 220_000]));
  }
  if (!assisted && !urban && rng.chance(0.04))
    assets.vehicles.push(vehicle(ctx, ids, head, 'truck', [30_000, 120_000]));
  if (!urban && rng.chance(assisted ? 0.12 : 0.25))
    assets.vehicles.push(vehicle(ctx, ids, rng.pick(owners), 'motorcycle', [2_500, 9_000]));
  for (const p of members) {
    // Disability vehicles: 残疾人机动轮椅车 or C5-licensed adapted cars, for the physically disabled.
    if (
      p.disability?.type === 'physical' &&
      p.disability.grade >= 2 &&
      ageOn(p.birthDate, asOf) >= 18 &&
      rng.chance(0.12)
    ) {
      assets.vehicles.push(
        vehicle(ctx, ids, p, rng.chance(0.6) ? 'motorcycle' : 'car', [8_000, 70_000], true),
      );
    }
  }

  members.forEach((p, i) => {
    const income = incomes[i] as IncomeByType;
    if (p.employment === 'selfEmployed' && income.business > 0 && rng.chance(assisted ? 0.3 : 0.7)) {
      assets.businesses.push(business(ctx, ids, p, false, income.business));
    }
  });
  if (!assisted && rng.chance(0.015)) {
    const owner = rng.pick(workingAdults(members, asOf));
    const role = business(ctx, ids, owner, true, rng.logNormal(8_000 * YUAN, 0.6, 2_000 * YUAN));
    assets.businesses.push(role);
    (incomes[members.indexOf(owner)] as IncomeByType).business += role.monthlyIncomeFen;
  }
  return assets;
}

/**
 * Adds one undeclared asset of `kind`: it exists in truth and in the department's records, and the
 * declaration leaves it out. These are what verification must find (the "mansion and luxury car"
 * cases the Guanshanhu reform targeted).
 */
export function addHiddenItem(
  ctx: AssetContext,
  members: readonly Person[],
  incomes: IncomeByType[],
  assets: Assets,
  kind: HiddenItemKind,
): HiddenItem {
  const { rng } = ctx;
  const ids = new AssetIds(`${ctx.householdId}-H`);
  const owner = rng.pick(workingAdults(members, ctx.asOf));
  switch (kind) {
    case 'car': {
      const v = vehicle(ctx, ids, owner, 'car', [120_000, 400_000]);
      assets.vehicles.push(v);
      return { kind, personId: owner.id, assetId: v.id };
    }
    case 'secondProperty': {
      const where = rng.chance(0.5)
        ? {
            location: `孝感市孝南区${rng.pick(['城站路', '北京路', '槐荫大道'])}${rng.int(1, 500)}号${rng.int(1, 30)}栋${rng.int(1, 30)}0${rng.int(1, 4)}室`,
            regionCode: '420902',
            registry: '孝感市',
            priceYuanM2: rng.int(6_500, 9_000),
          }
        : {
            location: `武汉市黄陂区${rng.pick(['前川街', '盘龙城'])}${rng.int(1, 500)}号${rng.int(1, 30)}栋${rng.int(1, 30)}0${rng.int(1, 4)}室`,
            regionCode: '420116',
            registry: '武汉市',
            priceYuanM2: rng.int(9_000, 14_000),
          };
      const prop = property(ctx, ids, owner, 'residential', where, [85, 140]);
      assets.properties.push(prop);
      return { kind, personId: owner.id, assetId: prop.id };
    }
    case 'largeDeposit': {
      const d = deposit(ctx, ids, owner, rng.int(300_000, 1_000_000) * YUAN, 'deposit');
      assets.deposits.push(d);
      return { kind, personId: owner.id, assetId: d.id };
    }
    case 'companyRole': {
      const role = business(ctx, ids, owner, true, rng.logNormal(6_000 * YUAN, 0.5, 1_500 * YUAN));
      assets.businesses.push(role);
      (incomes[members.indexOf(owner)] as IncomeByType).business += role.monthlyIncomeFen;
      return { kind, personId: owner.id, assetId: role.id };
    }
  }
}
