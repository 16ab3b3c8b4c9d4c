/**
 * Event triggers: the file catalog/triggers/triggers.yaml read, checked against the source
 * catalogue's field types, and applied to one household's (or one candidate's) source records.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ageOnDate,
  parseTriggerSet,
  renderTriggerSummary,
  type TriggerDefinition,
  type TriggerFieldTypes,
  type TriggerSet,
} from '@doudi/rules';
import dayjs from 'dayjs';
import { catalogDir } from '../rules/catalogFiles.ts';
import { SOURCES } from '../sources/catalogue/index.ts';
import type { AlertDraft, MemberRow, RecordRow } from './monitoring.repo.ts';

export const TRIGGER_FILE = 'triggers/triggers.yaml';

/** CEL types of every source's fields: money, counts and years are ints, yes/no bool, the rest strings. */
export function sourceFieldTypes(): TriggerFieldTypes {
  const out: TriggerFieldTypes = {};
  for (const source of SOURCES) {
    const fields: Record<string, 'int' | 'string' | 'bool'> = {};
    for (const f of source.fields) {
      if (f.name === 'idNumber') continue; // never in a condition: the record is already matched
      fields[f.name] = ['money', 'integer', 'year', 'decimal2'].includes(f.type)
        ? 'int'
        : f.type === 'boolean'
          ? 'bool'
          : 'string';
    }
    out[source.id] = fields;
  }
  return out;
}

const TYPES = sourceFieldTypes();

/** Per source, its enum fields' Chinese labels: a summary may write {stageZh} for the code in {stage}. */
const ENUM_LABELS = new Map(
  SOURCES.map((s) => [s.id, s.fields.filter((f) => f.type === 'enum' && f.values)] as const),
);
function withLabels(source: string, data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  for (const f of ENUM_LABELS.get(source) ?? []) {
    const v = data[f.name];
    if (typeof v === 'string' && f.values && Object.hasOwn(f.values, v)) out[`${f.name}Zh`] = f.values[v];
  }
  return out;
}
const cache = new Map<string, TriggerSet & { sha256: string }>();

/** Parses a trigger text (a draft, or the file); RuleLoadError with file:line:column when wrong. */
export function parseTriggers(text: string, file = TRIGGER_FILE): TriggerSet & { sha256: string } {
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  const hit = cache.get(sha256);
  if (hit && hit.file === file) return hit;
  const set = { ...parseTriggerSet(file, text, TYPES), sha256 };
  if (cache.size > 16) cache.clear();
  cache.set(sha256, set);
  return set;
}

export function loadTriggers(dir = catalogDir()): TriggerSet & { sha256: string } {
  const file = path.join(dir, TRIGGER_FILE);
  if (!existsSync(file)) throw new Error(`trigger file not found: ${file}`);
  return parseTriggers(readFileSync(file, 'utf8'));
}

/**
 * The trigger file in force with a catalogue: the published version (policy administration) when
 * one is, else the release's file. Runs record its version, so a newly published trigger file
 * applies to the next run, never to one under way.
 */
export function triggersOf(active: { triggers?: Record<string, string> }): TriggerSet & { sha256: string } {
  const text = active.triggers?.[TRIGGER_FILE];
  return text === undefined ? loadTriggers() : parseTriggers(text);
}

/** The version string a run stores: the file's own version and the first 12 hex of its SHA-256. */
export const triggersVersion = (set: TriggerSet & { sha256: string }) =>
  `${set.version}-${set.sha256.slice(0, 12)}`;

/** The day before a window opens (records dated after it count). */
function windowStart(asOf: string, months: number): string {
  return dayjs(asOf).subtract(months, 'month').format('YYYY-MM-DD');
}

let lastStarts: { set: TriggerSet; asOf: string; starts: string[] } | undefined;
/** Each trigger's window start on the date, computed once for the set and date of the last call:
 *  a run asks for every subject, and a key string per trigger and subject was ≈1% of the main
 *  thread's profile of a full run. */
function windowStarts(set: TriggerSet, asOf: string): string[] {
  if (lastStarts?.set !== set || lastStarts.asOf !== asOf)
    lastStarts = { set, asOf, starts: set.triggers.map((t) => windowStart(asOf, t.windowMonths)) };
  return lastStarts.starts;
}

/**
 * Where a source's records can fire a trigger on the date: dated (by the trigger's date field) after
 * the earliest start of the windows of that source's triggers on that field, and not after the
 * date. A run reads only such records (monitoring.records.repo.ts): applyTriggers drops the others,
 * and a county's claims pile up year after year while a window looks back 12 months at most.
 */
export interface RecordWindow {
  source: string;
  /** The trigger's date field in the record's data, or `validFrom` (the record's own column). */
  field: string;
  /** Records dated after this day count (the day before the widest window opens). */
  after: string;
}

export function recordWindows(set: TriggerSet, asOf: string): RecordWindow[] {
  const starts = windowStarts(set, asOf);
  const windows = new Map<string, RecordWindow>();
  set.triggers.forEach((trigger, t) => {
    const key = `${trigger.source}\0${trigger.dateField}`;
    const after = starts[t] as string;
    const known = windows.get(key);
    if (!known || after < known.after)
      windows.set(key, { source: trigger.source, field: trigger.dateField, after });
  });
  return [...windows.values()];
}

function recordDate(trigger: TriggerDefinition, record: RecordRow): string | undefined {
  if (trigger.dateField === 'validFrom') return record.valid_from;
  const value = record.data[trigger.dateField];
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
}

export interface Subject {
  householdId: string | null;
  subjectKey: string;
  regionCode: string;
  categories: string[];
  size: number;
  members: Map<string, MemberRow>;
}

export interface TriggerOutcome {
  drafts: AlertDraft[];
  hits: number;
  /** Records whose condition failed at run time (a field missing without has()). */
  errors: number;
}

/**
 * Every trigger over one subject's records. One alert per trigger, whose evidence lists the
 * records that fired it (or, for a sum, every record in the window), with their data and dates.
 */
export function applyTriggers(
  set: TriggerSet,
  subject: Subject,
  records: readonly RecordRow[],
  asOf: string,
): TriggerOutcome {
  const out: TriggerOutcome = { drafts: [], hits: 0, errors: 0 };
  const starts = windowStarts(set, asOf);
  for (let t = 0; t < set.triggers.length; t++) {
    const trigger = set.triggers[t] as TriggerDefinition;
    const start = starts[t] as string;
    const inWindow: { record: RecordRow; date: string }[] = [];
    for (const record of records) {
      if (record.source !== trigger.source) continue;
      const date = recordDate(trigger, record);
      if (date && date > start && date <= asOf) inWindow.push({ record, date });
    }
    if (inWindow.length === 0) continue;
    const sums = new Map<string, { sum: number; count: number }>();
    const groupOf = (r: RecordRow) =>
      trigger.sum?.by === 'household' ? 'household' : (r.person_id ?? r.index_hex);
    if (trigger.sum) {
      for (const { record } of inWindow) {
        const key = groupOf(record);
        const s = sums.get(key) ?? { sum: 0, count: 0 };
        const v = record.data[trigger.sum.field];
        s.sum += typeof v === 'number' && Number.isSafeInteger(v) ? v : 0;
        s.count += 1;
        sums.set(key, s);
      }
    }
    const fired: { record: RecordRow; date: string; age: number }[] = [];
    for (const { record, date } of inWindow) {
      const member = record.person_id ? subject.members.get(record.person_id) : undefined;
      const age = member ? ageOnDate(member.birth_date, date) : -1;
      const window = sums.get(groupOf(record)) ?? { sum: 0, count: 0 };
      try {
        const hit = trigger.test({
          record: record.data,
          previous: record.previous,
          person: {
            age,
            relationship: member?.relationship_to_head ?? '',
            inRegistry: !!member,
            sex: member?.sex ?? '',
          },
          household: {
            categories: subject.categories,
            size: subject.size,
            inRegistry: subject.householdId !== null,
          },
          window,
        });
        if (hit) fired.push({ record, date, age });
      } catch {
        out.errors += 1;
      }
    }
    const last = fired.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)).at(-1);
    if (!last) continue;
    out.hits += 1;
    const window = sums.get(groupOf(last.record)) ?? { sum: 0, count: 0 };
    // For a sum, the evidence is every record that made it up; otherwise the records that fired.
    const shown = trigger.sum ? inWindow : fired;
    const evidence = shown.slice(-20).map(({ record, date }) => ({
      kind: 'trigger',
      trigger: trigger.id,
      source: record.source,
      recordKey: record.record_key,
      name: record.name,
      idNumberMasked: record.id_number_masked,
      date,
      data: Object.fromEntries(Object.entries(record.data).filter(([k]) => k !== 'idNumber')),
      ...(record.previous ? { previous: record.previous } : {}),
    }));
    const summary = renderTriggerSummary(trigger, {
      name: last.record.name,
      date: last.date,
      sum: window.sum,
      count: window.count,
      record: { ...withLabels(last.record.source, last.record.data), age: last.age },
    });
    out.drafts.push({
      householdId: subject.householdId,
      subjectKey: subject.subjectKey,
      regionCode: subject.regionCode,
      cause: `trigger:${trigger.id}`,
      colour: trigger.colour,
      score: trigger.sum ? window.sum : null,
      modelVersion: null,
      evidence: trimEvidence(evidence),
      summaryZh: subject.householdId ? summary : `【未在册】${summary}`,
    });
  }
  return out;
}

/**
 * The JSON of evidence lists `trimEvidence` returned, so the alert's digest (monitoring.repo.ts)
 * need not serialise them a second time (≈1 kB each, 258,074 a full run at 1,000,000 households).
 */
export const evidenceJson = new WeakMap<unknown[], string>();

/** The evidence column holds at most 20,000 characters: older records go first. */
export function trimEvidence(evidence: unknown[]): unknown[] {
  const list = [...evidence];
  let json = JSON.stringify(list);
  while (list.length > 1 && json.length > 19000) {
    list.shift();
    json = JSON.stringify(list);
  }
  evidenceJson.set(list, json);
  return list;
}
