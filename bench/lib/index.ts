/** Shared helpers of the benches (bench/*): options, throwaway database, log, tables, /proc CPU. */
export { flag, numberOption, option } from './args.ts';
export { backendCpu, followBackends, processCpu } from './cpu.ts';
export { adminUrl, type BenchDatabase, benchDatabase } from './database.ts';
export { log, percentile, time } from './log.ts';
export { type Align, printTable } from './table.ts';
