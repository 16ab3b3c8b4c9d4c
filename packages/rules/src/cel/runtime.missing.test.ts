import { describe, expect, it } from 'vitest';
import { MissingFactError } from '../errors.ts';
import { FactRecord, selectField } from './runtime.ts';

const missing = (record: FactRecord, field: string): MissingFactError => {
  try {
    selectField(record, field);
  } catch (error) {
    if (error instanceof MissingFactError) return error;
    throw error;
  }
  throw new Error(`expected ${field} to be missing`);
};

describe('missing facts raised by field reads (one error per path and field, reused)', () => {
  it('names the record and field it was raised for, whichever record came first', () => {
    const first = missing(new FactRecord('members[0]'), 'age');
    const second = missing(new FactRecord('members[1]'), 'age');
    const third = missing(new FactRecord('members[0]'), 'health');
    expect(first.facts).toEqual(['members[0].age']);
    expect(second.facts).toEqual(['members[1].age']);
    expect(third.facts).toEqual(['members[0].health']);
    expect(first.message).toBe('missing facts: members[0].age');
  });

  it('reuses the error for the same path and field, and nobody can change it', () => {
    const a = missing(new FactRecord('household'), 'wageIncome');
    const b = missing(new FactRecord('household'), 'wageIncome');
    expect(b).toBe(a);
    expect(Object.isFrozen(a.facts)).toBe(true);
    expect(() => (a.facts as string[]).push('household.other')).toThrow(TypeError);
    expect(b.facts).toEqual(['household.wageIncome']);
  });

  it('stays bounded with many distinct paths (hostile input) and still answers right', () => {
    for (let i = 0; i < 5000; i++) missing(new FactRecord(`members[${i}]`), 'age');
    expect(missing(new FactRecord('members[4999]'), 'age').facts).toEqual(['members[4999].age']);
    expect(missing(new FactRecord('members[7]'), 'age').facts).toEqual(['members[7].age']);
  });

  it('still reads present fields and falsy values as data', () => {
    const record = new FactRecord('household');
    record.urban = false;
    record.size = 0;
    expect(selectField(record, 'urban')).toBe(false);
    expect(selectField(record, 'size')).toBe(0);
  });
});
