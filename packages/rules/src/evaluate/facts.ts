/**
 * Converts the facts the server hands over into records the compiled expressions read. Done once
 * per household at the boundary: ints stay numbers but must be safe integers (see `cel/ints.ts`),
 * null means "not known" (a missing fact), undeclared keys are ignored, and a value of the wrong
 * type is refused with its name.
 */
import type { FactDeclaration, FactSchema } from '../catalog/facts.ts';
import { FactRecord, Failure, recordPath } from '../cel/runtime.ts';
import { InvalidFactError, MissingFactError } from '../errors.ts';

/** One household's facts: household-level values and one object per member. */
export interface HouseholdFacts {
  household?: Record<string, unknown>;
  members?: Record<string, unknown>[];
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Where a bad value sits, for the error message only: `household.x`, `members[1].y[2]`. */
function where(path: string, name: string, index: number): string {
  return index < 0 ? `${path}.${name}` : `${path}.${name}[${index}]`;
}

// `path`, `name` and `index` rather than a prepared text or a closure: this runs for every fact of
// every household, and the text is needed only when the value is refused.
function convertScalar(type: string, value: unknown, path: string, name: string, index: number): unknown {
  switch (type) {
    case 'int':
      // `+ 0`: JSON "-0" parses as -0, and ints have no negative zero.
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value + 0;
      if (typeof value === 'bigint' && value >= -MAX_SAFE && value <= MAX_SAFE) return Number(value);
      throw new InvalidFactError(
        `${where(path, name, index)} must be an integer between -9007199254740991 and 9007199254740991, got ${String(value)}`,
      );
    case 'double':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'bigint') return Number(value);
      throw new InvalidFactError(`${where(path, name, index)} must be a number, got ${String(value)}`);
    case 'string':
      if (typeof value === 'string') return value;
      throw new InvalidFactError(`${where(path, name, index)} must be a string, got ${typeof value}`);
    default:
      if (typeof value === 'boolean') return value;
      throw new InvalidFactError(`${where(path, name, index)} must be true or false, got ${String(value)}`);
  }
}

/** A declaration as the per-household loop wants it: the list test and element type worked out once. */
interface Field {
  name: string;
  /** The scalar type, or the element type of a list. */
  type: string;
  list: boolean;
}

function convertList(field: Field, value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new InvalidFactError(`${where(path, field.name, -1)} must be a list`);
  const list = new Array(value.length);
  for (let i = 0; i < value.length; i++) list[i] = convertScalar(field.type, value[i], path, field.name, i);
  return list;
}

// Fields as arrays, once per schema: iterating a Map's entries (and testing each type for
// `list<`) per household costs more.
const fieldLists = new WeakMap<Map<string, FactDeclaration>, Field[]>();

function listOf(declarations: Map<string, FactDeclaration>): Field[] {
  let list = fieldLists.get(declarations);
  if (!list) {
    list = [...declarations.values()].map((decl) => {
      const isList = decl.type.startsWith('list<');
      return { name: decl.name, type: isList ? decl.type.slice(5, -1) : decl.type, list: isList };
    });
    fieldLists.set(declarations, list);
  }
  return list;
}

function fillRecord(record: FactRecord, fields: Field[], input: Record<string, unknown>, path: string) {
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as Field;
    const value = input[field.name];
    if (value === undefined || value === null) continue;
    record[field.name] = field.list
      ? convertList(field, value, path)
      : convertScalar(field.type, value, path, field.name, -1);
  }
}

// Fields by name, once per schema, for `setFact`.
const fieldMaps = new WeakMap<Map<string, FactDeclaration>, Map<string, Field>>();

/**
 * One fact into a record, as `buildRecords` would put it there: undeclared names are ignored,
 * null and undefined mean "not known" (nothing is set), a value of the wrong type is refused with
 * its name. For decoders that build records straight from their own form (a screening worker
 * reading the facts snapshot), without an intermediate object per household and member.
 */
export function setFact(
  record: FactRecord,
  declarations: Map<string, FactDeclaration>,
  name: string,
  value: unknown,
): void {
  if (value === undefined || value === null) return;
  let fields = fieldMaps.get(declarations);
  if (!fields) {
    fields = new Map(listOf(declarations).map((f) => [f.name, f]));
    fieldMaps.set(declarations, fields);
  }
  const field = fields.get(name);
  if (field === undefined) return;
  const path = recordPath(record);
  record[name] = field.list
    ? convertList(field, value, path)
    : convertScalar(field.type, value, path, name, -1);
}

export interface HouseholdRecords {
  household: FactRecord;
  /** A `Failure` when the member list itself was not supplied. */
  members: FactRecord[] | Failure;
  /**
   * The caller's own text about this household, handed back untouched with a batch's result
   * (`IndicatorBatchResult.tags`): a worker's decoder can return what it decoded that the caller
   * needs too (the members on the date), so the caller need not decode it a second time.
   */
  tag?: string;
}

export function buildRecords(schema: FactSchema, facts: HouseholdFacts): HouseholdRecords {
  const household = new FactRecord('household');
  fillRecord(household, listOf(schema.household), facts.household ?? {}, 'household');
  if (!Array.isArray(facts.members)) {
    return { household, members: new Failure(new MissingFactError(['members'])) };
  }
  const memberDeclarations = listOf(schema.member);
  const members = facts.members.map((input, i) => {
    const path = `members[${i}]`;
    const record = new FactRecord(path);
    fillRecord(record, memberDeclarations, input ?? {}, path);
    return record;
  });
  return { household, members };
}
