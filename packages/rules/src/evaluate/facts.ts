/**
 * Converts the facts the server hands over into records the compiled expressions read. Done once
 * per household at the boundary: ints become bigint (CEL's int), null means "not known" (a missing
 * fact), undeclared keys are ignored, and a value of the wrong type is refused with its name.
 */
import type { FactDeclaration, FactSchema, ValueType } from '../catalog/facts.ts';
import { FactRecord, Failure, INT64_MAX, INT64_MIN } from '../cel/runtime.ts';
import { InvalidFactError, MissingFactError } from '../errors.ts';

/** One household's facts: household-level values and one object per member. */
export interface HouseholdFacts {
  household?: Record<string, unknown>;
  members?: Record<string, unknown>[];
}

function convertScalar(type: string, value: unknown, where: string): unknown {
  switch (type) {
    case 'int':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
      if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) return value;
      throw new InvalidFactError(`${where} must be an integer, got ${String(value)}`);
    case 'double':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'bigint') return Number(value);
      throw new InvalidFactError(`${where} must be a number, got ${String(value)}`);
    case 'string':
      if (typeof value === 'string') return value;
      throw new InvalidFactError(`${where} must be a string, got ${typeof value}`);
    default:
      if (typeof value === 'boolean') return value;
      throw new InvalidFactError(`${where} must be true or false, got ${String(value)}`);
  }
}

function convert(type: ValueType, value: unknown, where: string): unknown {
  if (!type.startsWith('list<')) return convertScalar(type, value, where);
  if (!Array.isArray(value)) throw new InvalidFactError(`${where} must be a list`);
  const element = type.slice(5, -1);
  return value.map((item, i) => convertScalar(element, item, `${where}[${i}]`));
}

function fillRecord(
  record: FactRecord,
  declarations: Map<string, FactDeclaration>,
  input: Record<string, unknown>,
  path: string,
) {
  for (const [name, decl] of declarations) {
    const value = input[name];
    if (value === undefined || value === null) continue;
    record[name] = convert(decl.type, value, `${path}.${name}`);
  }
}

export interface HouseholdRecords {
  household: FactRecord;
  /** A `Failure` when the member list itself was not supplied. */
  members: FactRecord[] | Failure;
}

export function buildRecords(schema: FactSchema, facts: HouseholdFacts): HouseholdRecords {
  const household = new FactRecord('household');
  fillRecord(household, schema.household, facts.household ?? {}, 'household');
  if (!Array.isArray(facts.members)) {
    return { household, members: new Failure(new MissingFactError(['members'])) };
  }
  const members = facts.members.map((input, i) => {
    const record = new FactRecord(`members[${i}]`);
    fillRecord(record, schema.member, input ?? {}, `members[${i}]`);
    return record;
  });
  return { household, members };
}
