/**
 * A clock read from a file, for browser tests only (DOUDI_CLOCK_FILE; loadConfig refuses it in
 * production, `--demo` never sets it). The file holds one ISO instant, e.g. `2026-12-01T09:00:00+08:00`;
 * while it is missing or empty the real time is used. The test rewrites the file to let days pass (a
 * 7-day public notice) without restarting the server. The time is frozen at the written instant.
 */
import { readFileSync } from 'node:fs';

export function fileClock(file: string): () => Date {
  return () => {
    let text = '';
    try {
      text = readFileSync(file, 'utf8').trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (!text) return new Date();
    const at = new Date(text);
    // A bad file is a broken test set-up: fail loudly rather than run on some other time.
    if (text.length > 40 || Number.isNaN(at.getTime()))
      throw new Error(`DOUDI_CLOCK_FILE ${file} 的内容不是有效的时间：${text.slice(0, 40)}`);
    return at;
  };
}
