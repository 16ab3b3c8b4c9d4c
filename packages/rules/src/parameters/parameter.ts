/**
 * Dated, region-scoped parameters, OpenFisca style: one YAML file per parameter with a unit, a
 * legal reference and values by effective date, plus region overrides. Local governments set the
 * amounts, so a decision must use the value in force on its own date in its own region.
 */
import { isMap, type Node, type YAMLMap } from 'yaml';
import { ParameterValueMissingError } from '../errors.ts';
import {
  asMap,
  checkIdentifier,
  entry,
  mapEntries,
  optionalString,
  requiredString,
  scalarValue,
  YamlFile,
} from '../yaml/yamlFile.ts';

export type ParameterType = 'int' | 'double' | 'string' | 'bool';
/**
 * Compiled-CEL representation: an int parameter is a safe-integer number, like every int in the
 * compiled closures (see `cel/ints.ts`). The type keeps bigint for callers written against it.
 */
export type ParameterScalar = bigint | number | string | boolean;

export interface DatedValue {
  date: string;
  /** null ends the value from this date. */
  value: ParameterScalar | null;
  reference?: string;
}

export interface RegionOverride {
  reference?: string;
  /** Ascending by date. */
  values: DatedValue[];
}

export interface Parameter {
  name: string;
  file: string;
  description: string;
  unit: string;
  type: ParameterType;
  reference: string;
  /** Ascending by date. */
  values: DatedValue[];
  /** Keyed by region-code prefix of 2, 4, 6 or 9 digits. */
  regions: Map<string, RegionOverride>;
}

/** A parameter value with its provenance: the trace shows all of it. */
export interface ParameterValue {
  name: string;
  value: ParameterScalar;
  effectiveDate: string;
  /** The region-code prefix the value came from; null for the national value. */
  regionPrefix: string | null;
  reference: string;
  unit: string;
  description: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const REGION_CODE = /^\d{12}$/;

export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const PARAMETER_TYPES: readonly ParameterType[] = ['int', 'double', 'string', 'bool'];

interface RawValue {
  date: string;
  raw: unknown;
  reference?: string;
  node: Node | null;
}

function readDatedValues(file: YamlFile, map: YAMLMap, where: string): RawValue[] {
  const out: RawValue[] = [];
  for (const [date, keyNode, valueNode] of mapEntries(map)) {
    if (!isIsoDate(date))
      throw file.error('bad_date', `${where}: "${date}" is not an ISO date YYYY-MM-DD`, keyNode);
    if (isMap(valueNode)) {
      const detail = asMap(file, valueNode, `${where} ${date}`);
      const reference = optionalString(file, detail, 'reference');
      out.push({ date, raw: scalarValue(entry(detail, 'value')) ?? null, reference, node: valueNode });
    } else {
      out.push({
        date,
        raw: valueNode === null ? null : (scalarValue(valueNode) ?? null),
        node: valueNode ?? keyNode,
      });
    }
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The declared type, or the one the values and unit imply (ratio units are always double). */
function inferType(
  file: YamlFile,
  declared: string | undefined,
  unit: string,
  raws: RawValue[],
  node: Node,
): ParameterType {
  if (declared !== undefined) {
    if (!PARAMETER_TYPES.includes(declared as ParameterType)) {
      throw file.error('bad_type', `type must be one of ${PARAMETER_TYPES.join(', ')}`, node);
    }
    return declared as ParameterType;
  }
  const present = raws.map((r) => r.raw).filter((v) => v !== null);
  if (present.every((v) => typeof v === 'boolean')) return 'bool';
  if (present.every((v) => typeof v === 'string')) return 'string';
  if (present.every((v) => typeof v === 'number')) {
    if (/^(ratio|percent)/.test(unit)) return 'double';
    return present.every((v) => Number.isInteger(v)) ? 'int' : 'double';
  }
  throw file.error('bad_value', 'values mix types; declare `type:`', node);
}

function convert(file: YamlFile, raw: RawValue, type: ParameterType, unit: string): DatedValue {
  const base = raw.reference === undefined ? {} : { reference: raw.reference };
  if (raw.raw === null) return { date: raw.date, value: null, ...base };
  const v = raw.raw;
  const bad = (expected: string) =>
    file.error('bad_value', `value on ${raw.date} must be ${expected}`, raw.node);
  switch (type) {
    case 'int':
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
        throw bad(unit.startsWith('fen') ? 'an integer number of fen' : 'an integer');
      }
      return { date: raw.date, value: v + 0, ...base };
    case 'double':
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad('a number');
      return { date: raw.date, value: v, ...base };
    case 'string':
      if (typeof v !== 'string') throw bad('a string');
      return { date: raw.date, value: v, ...base };
    default:
      if (typeof v !== 'boolean') throw bad('true or false');
      return { date: raw.date, value: v, ...base };
  }
}

/**
 * Parses one parameter file. The parameter's name is the file's base name without `.yaml`
 * (`parameters/dibaoStandard.yaml` → `dibaoStandard`) unless the file sets `name:`.
 */
export function parseParameter(fileName: string, text: string): Parameter {
  const file = new YamlFile(fileName, text);
  const map = file.rootMap('a parameter file');
  const baseName = fileName.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  const name = optionalString(file, map, 'name') ?? baseName;
  checkIdentifier(file, name, entry(map, 'name') ?? map, 'parameter name');
  const description = requiredString(file, map, 'description', map);
  const unit = requiredString(file, map, 'unit', map);
  const reference = requiredString(file, map, 'reference', map);
  const nationalNode = entry(map, 'values');
  // A parameter may exist only in some regions: then it has no national `values`.
  const national = nationalNode ? readDatedValues(file, asMap(file, nationalNode, 'values'), 'values') : [];
  const regionRaws: [string, Node | null, string | undefined, RawValue[]][] = [];
  const regionsNode = entry(map, 'regions');
  if (regionsNode) {
    for (const [prefix, keyNode, valueNode] of mapEntries(asMap(file, regionsNode, 'regions'))) {
      if (!/^(\d{2}|\d{4}|\d{6}|\d{9})$/.test(prefix)) {
        throw file.error(
          'bad_region',
          `region "${prefix}" must be a code prefix of 2, 4, 6 or 9 digits`,
          keyNode,
        );
      }
      const regionMap = asMap(file, valueNode, `region ${prefix}`);
      // Two shapes: a plain date map, or { reference, values } when the region has its own legal basis.
      const valuesNode = entry(regionMap, 'values');
      const reference = valuesNode ? optionalString(file, regionMap, 'reference') : undefined;
      const datesMap = valuesNode ? asMap(file, valuesNode, `region ${prefix} values`) : regionMap;
      regionRaws.push([prefix, keyNode, reference, readDatedValues(file, datesMap, `region ${prefix}`)]);
    }
  }
  const type = inferType(
    file,
    optionalString(file, map, 'type'),
    unit,
    [...national, ...regionRaws.flatMap((r) => r[3])],
    map,
  );
  const regions = new Map<string, RegionOverride>();
  for (const [prefix, , ref, raws] of regionRaws) {
    const values = raws.map((raw) => convert(file, raw, type, unit));
    regions.set(prefix, ref === undefined ? { values } : { reference: ref, values });
  }
  const values = national.map((raw) => convert(file, raw, type, unit));
  return { name, file: fileName, description, unit, type, reference, values, regions };
}

/** The last dated value on or before `date`, or undefined when none has started yet. */
function inForce(values: readonly DatedValue[], date: string): DatedValue | undefined {
  for (let i = values.length - 1; i >= 0; i--) {
    const candidate = values[i] as DatedValue;
    if (candidate.date <= date) return candidate;
  }
  return undefined;
}

/**
 * The value in force on `date` in the region: township (9 digits) > county (6) > city (4) >
 * province (2) > national. A region override ended by `null` gives way to the broader level; a
 * national value ended by `null` (or not yet started) means no value, which is an error.
 */
export function lookupParameter(parameter: Parameter, date: string, regionCode: string): ParameterValue {
  if (!REGION_CODE.test(regionCode))
    throw new RangeError(`region code must have 12 digits, got "${regionCode}"`);
  if (!isIsoDate(date)) throw new RangeError(`date must be YYYY-MM-DD, got "${date}"`);
  for (const length of [9, 6, 4, 2]) {
    const prefix = regionCode.slice(0, length);
    const override = parameter.regions.get(prefix);
    if (!override) continue;
    const found = inForce(override.values, date);
    if (found && found.value !== null) {
      return provenance(
        parameter,
        found,
        prefix,
        found.reference ?? override.reference ?? parameter.reference,
      );
    }
  }
  const found = inForce(parameter.values, date);
  if (found && found.value !== null) {
    return provenance(parameter, found, null, found.reference ?? parameter.reference);
  }
  throw new ParameterValueMissingError(parameter.name, date, regionCode);
}

function provenance(
  parameter: Parameter,
  found: DatedValue,
  regionPrefix: string | null,
  reference: string,
): ParameterValue {
  return {
    name: parameter.name,
    value: found.value as ParameterScalar,
    effectiveDate: found.date,
    regionPrefix,
    reference,
    unit: parameter.unit,
    description: parameter.description,
  };
}
