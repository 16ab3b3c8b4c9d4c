/** Worker thread body: one check (compile + lint + scenarios), posted back as plain data. */
import { parentPort, workerData } from 'node:worker_threads';
import { type CheckInput, checkCatalog } from './policyCheck.ts';

const input = workerData as CheckInput;
parentPort?.postMessage(
  checkCatalog(
    { sources: input.sources, scenarios: input.scenarios, fixtures: input.fixtures, latest: new Map() },
    new Map(input.changes),
    input.region,
    input.date,
    input.extraProblems,
  ),
);
