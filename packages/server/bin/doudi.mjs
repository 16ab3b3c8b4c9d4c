#!/usr/bin/env node
// The `doudi` command. The server runs from its TypeScript sources through tsx, so there is
// no build step between editing the code and running it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
