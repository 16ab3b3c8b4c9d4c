/**
 * 委托核对用途 as data (catalog/verification/purposes.yaml): for each purpose another department may
 * ask the verification centre about, the departments that may use it, the sources and fields its
 * result may contain, how long the result stays readable, and its legal grounds. Checked at load with
 * file:line:column errors: every source and field must exist in the source catalogue, and no purpose
 * may ask for the ID number (the result names persons by masked number only).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type } from 'typebox';
import { Departments } from '../access/permissions.ts';
import { intakeCatalogDir } from '../intake/catalogPaths.ts';
import { loadCheckedYaml } from '../intake/checkedYaml.ts';
import { findSource } from '../sources/catalogue/index.ts';

const PurposeFile = Type.Object(
  {
    purposes: Type.Array(
      Type.Object(
        {
          id: Type.String({ pattern: '^[a-z][A-Za-z0-9]{1,39}$' }),
          name: Type.Object(
            {
              zh: Type.String({ minLength: 1, maxLength: 60 }),
              en: Type.String({ minLength: 1, maxLength: 120 }),
            },
            { additionalProperties: false },
          ),
          departments: Type.Array(Type.String(), { minItems: 1, maxItems: 20 }),
          validDays: Type.Integer({ minimum: 1, maximum: 366 }),
          sources: Type.Record(
            Type.String(),
            Type.Array(Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]{0,39}$' }), {
              minItems: 1,
              maxItems: 30,
            }),
          ),
          legal: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { minItems: 1, maxItems: 10 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

export interface Purpose {
  id: string;
  name: { zh: string; en: string };
  departments: string[];
  validDays: number;
  /** Source id → the fields of that source the result may carry. */
  sources: Record<string, string[]>;
  legal: string[];
}

/** Fields no purpose may see: the person's identity columns are never part of a result. */
const NEVER = new Set(['recordId', 'idNumber', 'name']);
const knownDepartments = new Set<string>(Departments);

export function parsePurposes(file: string, text: string): Purpose[] {
  const checked = loadCheckedYaml(file, text, PurposeFile);
  const purposes = checked.value.purposes;
  const ids = new Set<string>();
  for (const [i, p] of purposes.entries()) {
    if (ids.has(p.id)) throw checked.error(['purposes', i, 'id'], `用途编号 ${p.id} 重复`);
    ids.add(p.id);
    for (const d of p.departments)
      if (!knownDepartments.has(d)) throw checked.error(['purposes', i, 'departments'], `未知的部门 ${d}`);
    const sources = Object.entries(p.sources);
    if (sources.length === 0) throw checked.error(['purposes', i, 'sources'], '至少列出一个数据源');
    for (const [source, fields] of sources) {
      const spec = findSource(source);
      if (!spec) throw checked.error(['purposes', i, 'sources', source], `未知的数据源 ${source}`);
      for (const field of fields) {
        if (NEVER.has(field))
          throw checked.error(['purposes', i, 'sources', source], `字段 ${field} 标识个人身份，不得列入用途`);
        if (!spec.fields.some((f) => f.name === field))
          throw checked.error(['purposes', i, 'sources', source], `数据源 ${source} 没有字段 ${field}`);
      }
    }
  }
  return purposes;
}

let cached: Map<string, Purpose> | undefined;
export function purposes(): Map<string, Purpose> {
  if (!cached) {
    const file = path.join(intakeCatalogDir(), 'verification', 'purposes.yaml');
    cached = new Map(
      parsePurposes('verification/purposes.yaml', readFileSync(file, 'utf8')).map((p) => [p.id, p]),
    );
  }
  return cached;
}

export function findPurpose(id: string): Purpose | undefined {
  return purposes().get(id);
}
