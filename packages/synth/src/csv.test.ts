import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GROUND_TRUTH_FILE, writeCountyCsv } from './csv.ts';
import { SOURCE_FILES } from './csvColumns.ts';
import { TEST_VILLAGES } from './testVillages.ts';

const dirs: string[] = [];
async function write(seed: number, households: number) {
  const outDir = await mkdtemp(join(tmpdir(), 'doudi-synth-'));
  dirs.push(outDir);
  const result = await writeCountyCsv({
    seed,
    households,
    villages: TEST_VILLAGES,
    asOf: '2025-06-30',
    outDir,
  });
  return { outDir, result };
}

async function hashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of [
    ...(await readdir(dir)),
    ...(await readdir(join(dir, 'ground-truth'))).map((f) => join('ground-truth', f)),
  ]) {
    if (name === 'ground-truth') continue;
    out[name] = createHash('sha256')
      .update(await readFile(join(dir, name)))
      .digest('hex');
  }
  return out;
}

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('writeCountyCsv', () => {
  it('writes one file per source with Chinese headers, and the truth apart', async () => {
    const { outDir, result } = await write(11, 400);
    expect(result.households).toBe(400);
    const files = await readdir(outDir);
    for (const spec of Object.values(SOURCE_FILES)) expect(files).toContain(spec.file);
    expect(files).toEqual(
      expect.arrayContaining(['households.csv', 'persons.csv', 'enrolments.csv', 'ground-truth']),
    );
    const persons = (await readFile(join(outDir, 'persons.csv'), 'utf8')).trimEnd().split('\n');
    expect(persons[0]).toContain('身份证号码');
    expect(persons[0]).toContain('姓名');
    expect(persons).toHaveLength(result.persons + 1);
    for (const [file, rows] of Object.entries(result.rows)) {
      if (file === GROUND_TRUTH_FILE) continue;
      const lines = (await readFile(join(outDir, file), 'utf8')).trimEnd().split('\n');
      expect(lines.length, file).toBe(rows + 1);
    }
    const truth = (await readFile(join(outDir, GROUND_TRUTH_FILE), 'utf8')).trimEnd().split('\n');
    expect(truth).toHaveLength(400);
    expect(JSON.parse(truth[0] as string).householdId).toBe('420921-0000001');
    const tax = (await readFile(join(outDir, 'tax.csv'), 'utf8')).split('\n')[1] ?? '';
    expect(tax).toMatch(/,\d+\.\d{2},\d+\.\d{2}$/); // money as yuan with two decimals
  });

  it('is byte-identical for the same seed', async () => {
    const a = await write(12, 300);
    const b = await write(12, 300);
    expect(await hashes(a.outDir)).toEqual(await hashes(b.outDir));
  });
});
