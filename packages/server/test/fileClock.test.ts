/** DOUDI_CLOCK_FILE (browser tests only): the instant in the file is "now"; refused in production. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileClock } from '../src/cli/fileClock.ts';
import { loadConfig } from '../src/config.ts';

describe('file clock', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'doudi-clock-')), 'now');

  it('uses the real time while the file is missing or empty, then the written instant', () => {
    const clock = fileClock(file);
    expect(Math.abs(clock().getTime() - Date.now())).toBeLessThan(5_000);
    writeFileSync(file, '\n');
    expect(Math.abs(clock().getTime() - Date.now())).toBeLessThan(5_000);
    writeFileSync(file, '2026-12-01T09:00:00+08:00\n');
    expect(clock().toISOString()).toBe('2026-12-01T01:00:00.000Z');
  });

  it('fails loudly on a file that is not a time, or an oversized one', () => {
    const clock = fileClock(file);
    for (const bad of ['tomorrow', '2026-13-45', `2026-12-01T09:00:00Z${'0'.repeat(100)}`]) {
      writeFileSync(file, bad);
      expect(() => clock(), bad).toThrow(/DOUDI_CLOCK_FILE/);
    }
  });

  it('is read from the configuration only when set, and refused in production', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).clockFile).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'test', DOUDI_CLOCK_FILE: file }).clockFile).toBe(file);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        DOUDI_COOKIE_SECRET: 'x'.repeat(64),
        DOUDI_DATA_KEY: 'a'.repeat(64),
        DOUDI_CLOCK_FILE: file,
      }),
    ).toThrow(/DOUDI_CLOCK_FILE/);
  });
});
