export { GROUND_TRUTH_FILE, type WriteCsvOptions, type WriteCsvResult, writeCountyCsv } from './csv.ts';
export { type Column, HOUSEHOLD_COLUMNS, LABELS, PERSON_COLUMNS, SOURCE_FILES, yuan } from './csvColumns.ts';
export { ageOn } from './dates.ts';
export { CATEGORY_SHARES, DEFAULT_DIBAO_STANDARD_FEN } from './enrolment.ts';
export { generateCounty, HIDDEN_ASSET_SHARE } from './generate.ts';
export { loadVillagesFromChinaDivision, URBAN_SUFFIX } from './loadVillages.ts';
export { TEST_VILLAGES as SAMPLE_VILLAGES } from './testVillages.ts';
export type * from './types.ts';
