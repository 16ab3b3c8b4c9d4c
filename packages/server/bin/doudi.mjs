#!/usr/bin/env -S node --max-semi-space-size=64
// The `doudi` command. The server runs from its TypeScript sources through tsx, so there is
// no build step between editing the code and running it.
// A young generation of 64 MB semi-spaces (V8's default is 16): a full monitoring run read pages
// of 8,000 households (≈26 MB of JSON text each) on this thread, which otherwise outgrew the young
// generation at once and were collected by full mark-compacts. At 1,000,000 households: 70 s →
// 62–66 s, process CPU 92–96 → 82–86 s (bench/monitoring, session 15). On a PostgreSQL server the
// workers now read the pages themselves, and the flag gives less (16 MB: 60.7 s; 64 MB: 58–60 s;
// session 16); PGlite still reads them on this thread.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
