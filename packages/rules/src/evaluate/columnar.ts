/**
 * Households as columns, for handing a batch to a worker thread. Copying nested fact objects to a
 * worker (structured clone) cost about as much as evaluating them, so the pool sends one typed
 * array per declared fact instead: numbers in a Float64Array (NaN = not supplied), booleans in a
 * Uint8Array (2 = not supplied), strings as codes into a string table (-1 = not supplied), lists as
 * plain arrays. Members are flattened, with each household's first member in `memberOffsets`.
 * Typed arrays move between threads without copying (transfer).
 *
 * The worker builds exactly the records `buildRecords` would build. Anything the columns cannot say
 * (a value of the wrong type, an unsafe integer) is not guessed at: that household travels as its
 * original object in `fallback` and goes through `buildRecords`, which reports the bad fact.
 */
import type { FactDeclaration, FactSchema } from '../catalog/facts.ts';
import { FactRecord, Failure } from '../cel/runtime.ts';
import { MissingFactError } from '../errors.ts';
import { buildRecords, type HouseholdFacts, type HouseholdRecords } from './facts.ts';

type Column = Float64Array | Uint8Array | Int32Array | (unknown[] | null)[];

export interface ColumnarHouseholds {
  count: number;
  /** One column per declared household fact, in schema order. */
  household: Column[];
  /** `count + 1` entries: household h has members memberOffsets[h] .. memberOffsets[h+1]. */
  memberOffsets: Int32Array;
  /** 1 where the household's `members` was not a list (a missing fact). */
  membersMissing: Uint8Array;
  member: Column[];
  strings: string[];
  /** Households sent as they are, because a value did not fit its declared type. */
  fallback: [number, HouseholdFacts][];
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INVALID = Symbol('invalid');

/** The value as `convertScalar` would accept it, `undefined` for "not supplied", or INVALID. */
function scalar(type: string, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  switch (type) {
    case 'int':
      if (typeof value === 'number') return Number.isSafeInteger(value) ? value : INVALID;
      if (typeof value === 'bigint') return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : INVALID;
      return INVALID;
    case 'double':
      if (typeof value === 'number') return Number.isFinite(value) ? value : INVALID;
      return typeof value === 'bigint' ? Number(value) : INVALID;
    case 'string':
      return typeof value === 'string' ? value : INVALID;
    default:
      return typeof value === 'boolean' ? value : INVALID;
  }
}

function newColumn(decl: FactDeclaration, size: number): Column {
  if (decl.type.startsWith('list<')) return new Array(size).fill(null);
  if (decl.type === 'int' || decl.type === 'double') return new Float64Array(size).fill(Number.NaN);
  if (decl.type === 'bool') return new Uint8Array(size).fill(2);
  return new Int32Array(size).fill(-1);
}

class Encoder {
  readonly strings: string[] = [];
  private readonly codes = new Map<string, number>();

  /** Writes one object's facts at `row`; false when a value does not fit (caller falls back). */
  write(
    declarations: FactDeclaration[],
    columns: Column[],
    input: Record<string, unknown>,
    row: number,
  ): boolean {
    for (let f = 0; f < declarations.length; f++) {
      const decl = declarations[f] as FactDeclaration;
      const raw = input[decl.name];
      if (raw === undefined || raw === null) continue;
      const column = columns[f] as Column;
      if (decl.type.startsWith('list<')) {
        if (!Array.isArray(raw)) return false;
        const element = decl.type.slice(5, -1);
        const list = new Array(raw.length);
        for (let i = 0; i < raw.length; i++) {
          const v = scalar(element, raw[i]);
          // A null element is refused by `buildRecords` too.
          if (v === INVALID || v === undefined) return false;
          list[i] = v;
        }
        (column as unknown[][])[row] = list;
        continue;
      }
      const v = scalar(decl.type, raw);
      if (v === INVALID) return false;
      if (decl.type === 'string') (column as Int32Array)[row] = this.code(v as string);
      else if (decl.type === 'bool') (column as Uint8Array)[row] = v ? 1 : 0;
      else (column as Float64Array)[row] = v as number;
    }
    return true;
  }

  private code(text: string): number {
    let code = this.codes.get(text);
    if (code === undefined) {
      code = this.strings.length;
      this.strings.push(text);
      this.codes.set(text, code);
    }
    return code;
  }
}

export function encodeHouseholds(
  schema: FactSchema,
  households: readonly HouseholdFacts[],
): ColumnarHouseholds {
  const householdDecls = [...schema.household.values()];
  const memberDecls = [...schema.member.values()];
  const count = households.length;
  const memberOffsets = new Int32Array(count + 1);
  let memberCount = 0;
  for (let h = 0; h < count; h++) {
    memberOffsets[h] = memberCount;
    const members = households[h]?.members;
    if (Array.isArray(members)) memberCount += members.length;
  }
  memberOffsets[count] = memberCount;
  const household = householdDecls.map((d) => newColumn(d, count));
  const member = memberDecls.map((d) => newColumn(d, memberCount));
  const membersMissing = new Uint8Array(count);
  const fallback: [number, HouseholdFacts][] = [];
  const encoder = new Encoder();
  for (let h = 0; h < count; h++) {
    const facts = households[h] as HouseholdFacts;
    if (typeof facts !== 'object' || facts === null) {
      fallback.push([h, facts]);
      continue;
    }
    let fits = encoder.write(householdDecls, household, facts.household ?? {}, h);
    const members = facts.members;
    if (!Array.isArray(members)) membersMissing[h] = 1;
    else {
      const first = memberOffsets[h] as number;
      for (let m = 0; fits && m < members.length; m++) {
        fits = encoder.write(memberDecls, member, members[m] ?? {}, first + m);
      }
    }
    if (!fits) fallback.push([h, facts]);
  }
  return { count, household, memberOffsets, membersMissing, member, strings: encoder.strings, fallback };
}

/** The typed arrays of an encoded batch, for `postMessage`'s transfer list. */
export function transferables(columns: ColumnarHouseholds): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [columns.memberOffsets.buffer as ArrayBuffer];
  buffers.push(columns.membersMissing.buffer as ArrayBuffer);
  for (const column of [...columns.household, ...columns.member]) {
    if (!Array.isArray(column)) buffers.push(column.buffer as ArrayBuffer);
  }
  return buffers;
}

function readRow(
  declarations: FactDeclaration[],
  columns: Column[],
  strings: string[],
  row: number,
  record: FactRecord,
): void {
  for (let f = 0; f < declarations.length; f++) {
    const decl = declarations[f] as FactDeclaration;
    const column = columns[f] as Column;
    let value: unknown;
    if (Array.isArray(column)) value = column[row] ?? undefined;
    else if (decl.type === 'string') {
      const code = (column as Int32Array)[row] as number;
      value = code < 0 ? undefined : strings[code];
    } else if (decl.type === 'bool') {
      const flag = (column as Uint8Array)[row] as number;
      value = flag === 2 ? undefined : flag === 1;
    } else {
      const number = (column as Float64Array)[row] as number;
      // As in `buildRecords`: an int has no negative zero, a double keeps it.
      value = Number.isNaN(number) ? undefined : decl.type === 'int' ? number + 0 : number;
    }
    if (value !== undefined) record[decl.name] = value;
  }
}

/** Decodes households on the worker side; `recordsOf(h)` equals `buildRecords(schema, households[h])`. */
export function columnarRecords(
  schema: FactSchema,
  columns: ColumnarHouseholds,
): (h: number) => HouseholdRecords {
  const householdDecls = [...schema.household.values()];
  const memberDecls = [...schema.member.values()];
  const fallback = new Map(columns.fallback);
  return (h) => {
    if (fallback.has(h)) return buildRecords(schema, fallback.get(h) as HouseholdFacts);
    const household = new FactRecord('household');
    readRow(householdDecls, columns.household, columns.strings, h, household);
    if (columns.membersMissing[h] === 1) {
      return { household, members: new Failure(new MissingFactError(['members'])) };
    }
    const first = columns.memberOffsets[h] as number;
    const last = columns.memberOffsets[h + 1] as number;
    const members: FactRecord[] = [];
    for (let m = first; m < last; m++) {
      const record = new FactRecord(`members[${m - first}]`);
      readRow(memberDecls, columns.member, columns.strings, m, record);
      members.push(record);
    }
    return { household, members };
  };
}
