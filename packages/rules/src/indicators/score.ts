/**
 * Scoring one household with one model, shared by the traced path, the batch path and the score
 * variable policies read. Runs on the engine's `Scope` (household, members, param already set).
 *
 * Missing facts: an item whose condition cannot be decided (a fact absent, or a `requires` fact
 * absent) adds nothing to `score` but widens `[lower, upper]` by what it could have added (for a
 * per-member item, only the undecided members count). Group caps and per-member averaging apply
 * to both ends. The caller reports the band only when both ends fall in the same band.
 */
import { lenientForm, type Scope } from '../cel/compile.ts';
import { MISSING } from '../cel/runtime.ts';
import { MissingFactError } from '../errors.ts';
import type { CompiledIndicatorItem, CompiledIndicatorModel, FiredItem, GroupScore } from './types.ts';

interface Record_ {
  [field: string]: unknown;
}

/** What one scoring run found. Reused between runs on the batch path (no allocation per household). */
export interface ScoreSink {
  score: number;
  lower: number;
  upper: number;
  /** Missing fact paths, or undefined when nothing is missing. */
  missing: Set<string> | undefined;
  error: unknown;
  /** Only collected when `detail` is true. */
  detail: boolean;
  /**
   * Conditions run in their lenient form (cel/compile.ts): a missing fact is the value `MISSING`,
   * not an exception and a second, exact run. `missing` then says only *that* a fact is missing
   * (its names are a placeholder, also in `missingItems`): for the batch path, which reports
   * colours, statuses and the fired items and groups, never which facts were missing.
   */
  lenient: boolean;
  /**
   * Items worth 0 points are not run (the batch's `colourOnly`): they can change neither the score
   * nor its range, only `missing` (a fact they lack) or `error` (a rule error inside them).
   */
  skipInert: boolean;
  groups: GroupScore[];
  fired: FiredItem[];
  missingItems: { group: string; item: string; facts: string[] }[];
}

export function newSink(detail: boolean, lenient = false): ScoreSink {
  return {
    score: 0,
    lower: 0,
    upper: 0,
    missing: undefined,
    error: undefined,
    detail,
    lenient,
    skipInert: false,
    groups: [],
    fired: [],
    missingItems: [],
  };
}

function reset(sink: ScoreSink): void {
  sink.score = 0;
  sink.lower = 0;
  sink.upper = 0;
  sink.missing = undefined;
  sink.error = undefined;
  if (sink.detail) {
    sink.groups = [];
    sink.fired = [];
    sink.missingItems = [];
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

// Module state instead of per-call arrays: scoring is synchronous and never re-entered for the
// same depth... except through a variable that is itself a model score, hence the stack.
const countedStack: boolean[][] = [];
let depth = 0;

/** What a lenient run lacks: that a fact is missing, not which (never mutated). */
const UNNAMED: readonly string[] = Object.freeze(['(missing fact)']);

/** Runs a condition: true, false, or the facts it lacks; other errors propagate. */
function decide(
  scope: Scope,
  item: CompiledIndicatorItem,
  budget: number,
  facts: string[] | null,
  lenient: boolean,
): boolean | string[] {
  scope.budget = budget;
  try {
    const run = lenient ? lenientForm(item.condition.run) : undefined;
    if (run) {
      const value = run(scope);
      if (value === MISSING) return facts ?? (UNNAMED as string[]);
      return value === true;
    }
    return item.condition.run(scope) === true;
  } catch (error) {
    if (error instanceof MissingFactError) return facts ? [...facts, ...error.facts] : [...error.facts];
    throw error;
  }
}

function requiredMissing(item: CompiledIndicatorItem, record: Record_, path: string): string[] | null {
  let out: string[] | null = null;
  for (const fact of item.requires) {
    if (record[fact.name] === undefined) {
      out ??= [];
      out.push(`${path}.${fact.name}`);
    }
  }
  return out;
}

/**
 * Scores the household currently in `scope.root`. Rule errors (division by zero, a parameter with
 * no value) are stored in `sink.error` and end the run.
 */
export function scoreModel(
  model: CompiledIndicatorModel,
  scope: Scope,
  budget: number,
  sink: ScoreSink,
): void {
  reset(sink);
  const root = scope.root;
  const outerMember = root.member;
  const household = root.household as Record_;
  const members = (Array.isArray(root.members) ? root.members : []) as Record_[];
  const lenient = sink.lenient;
  const membersRun = model.members && ((lenient && lenientForm(model.members.run)) || model.members.run);
  let counted = countedStack[depth];
  if (!counted) {
    counted = [];
    countedStack[depth] = counted;
  }
  depth++;
  try {
    let countedMembers = 0;
    let uncertainMembers = false;
    counted.length = members.length;
    for (let m = 0; m < members.length; m++) {
      let isCounted = true;
      if (membersRun) {
        root.member = members[m];
        scope.budget = budget;
        try {
          const value = membersRun(scope);
          isCounted = value === true;
          if (value === MISSING) {
            sink.missing ??= new Set();
            for (const f of UNNAMED) sink.missing.add(f);
            uncertainMembers = true;
          }
        } catch (error) {
          if (!(error instanceof MissingFactError)) throw error;
          sink.missing ??= new Set();
          for (const f of error.facts) sink.missing.add(f);
          isCounted = false;
          uncertainMembers = true;
        }
      }
      counted[m] = isCounted;
      if (isCounted) countedMembers++;
    }
    let total = 0;
    let lowerTotal = 0;
    let upperTotal = 0;
    for (const group of model.groups) {
      let sum = 0;
      let lower = 0;
      let upper = 0;
      for (const item of group.items) {
        const points = item.points;
        if (points === 0 && sink.skipInert) continue;
        if (!item.perMember) {
          root.member = undefined;
          const lacking = requiredMissing(item, household, 'household');
          const outcome = decide(scope, item, budget, lacking, lenient);
          if (outcome === true && lacking === null) {
            sum += points;
            lower += points;
            upper += points;
            if (sink.detail) sink.fired.push({ group: group.id, item: item.id, label: item.label, points });
          } else if (outcome !== false || lacking !== null) {
            const facts = outcome === true || outcome === false ? (lacking as string[]) : outcome;
            if (points < 0) lower += points;
            else upper += points;
            noteMissing(sink, group.id, item.id, facts);
          }
          continue;
        }
        let meeting = 0;
        let undecided = 0;
        let which: number[] | undefined;
        let lackingFacts: string[] | undefined;
        for (let m = 0; m < members.length; m++) {
          if (!counted[m]) continue;
          const member = members[m] as Record_;
          root.member = member;
          const lacking = requiredMissing(item, member, `members[${m}]`);
          const outcome = decide(scope, item, budget, lacking, lenient);
          if (outcome === true && lacking === null) {
            meeting++;
            if (sink.detail) {
              which ??= [];
              which.push(m);
            }
          } else if (outcome !== false || lacking !== null) {
            undecided++;
            const facts = outcome === true || outcome === false ? (lacking as string[]) : outcome;
            lackingFacts = lackingFacts ? [...lackingFacts, ...facts] : facts;
          }
        }
        let known: number;
        let possible: number; // what the undecided members could add at most (same sign as points)
        if (item.aggregation === 'any') {
          known = meeting > 0 ? points : 0;
          possible = meeting === 0 && undecided > 0 ? points : 0;
        } else {
          const divisor = item.aggregation === 'average' ? countedMembers || 1 : 1;
          known = (points * meeting) / divisor;
          possible = (points * undecided) / divisor;
        }
        sum += known;
        lower += known + Math.min(0, possible);
        upper += known + Math.max(0, possible);
        if (known !== 0 && sink.detail)
          sink.fired.push({
            group: group.id,
            item: item.id,
            label: item.label,
            points: round2(known),
            members: which ?? [],
          });
        // For `any`, one member meeting the condition settles the item whatever the others lack.
        if (lackingFacts && possible !== 0) noteMissing(sink, group.id, item.id, lackingFacts);
      }
      const clamped = clamp(sum, group.min, group.max);
      total += clamped;
      lowerTotal += clamp(lower, group.min, group.max);
      upperTotal += clamp(upper, group.min, group.max);
      if (sink.detail)
        sink.groups.push({
          id: group.id,
          label: group.label,
          score: round2(clamped),
          capped: clamped !== sum,
        });
    }
    if (model.scoring === 'perMemberAverage') {
      const n = countedMembers || 1;
      total /= n;
      lowerTotal /= n;
      upperTotal /= n;
    }
    sink.score = round2(total);
    sink.lower = uncertainMembers ? Number.NEGATIVE_INFINITY : round2(lowerTotal);
    sink.upper = uncertainMembers ? Number.POSITIVE_INFINITY : round2(upperTotal);
  } catch (error) {
    sink.error = error;
  } finally {
    depth--;
    root.member = outerMember;
  }
}

// A function declaration, not a closure in the loop: under tsx every named arrow function costs a
// naming call each time it is created, which showed in the batch profile.
function clamp(x: number, min: number | undefined, max: number | undefined): number {
  if (max !== undefined && x > max) return max;
  if (min !== undefined && x < min) return min;
  return x;
}

function noteMissing(sink: ScoreSink, group: string, item: string, facts: string[]): void {
  sink.missing ??= new Set();
  for (const f of facts) sink.missing.add(f);
  if (sink.detail) sink.missingItems.push({ group, item, facts: [...new Set(facts)] });
}

/**
 * The `run` of a model's score variable: the score, or the missing facts / rule error raised like
 * any CEL failure, so a policy reading it answers needsInformation or error, never a silent 0.
 */
export function scoreVariableRunner(
  model: CompiledIndicatorModel,
  budget: number,
): (scope: Scope) => unknown {
  const sinks: ScoreSink[] = [];
  let nesting = 0;
  return (scope: Scope) => {
    let sink = sinks[nesting];
    if (!sink) {
      sink = newSink(false);
      sinks[nesting] = sink;
    }
    nesting++;
    try {
      scoreModel(model, scope, budget, sink);
    } finally {
      nesting--;
    }
    if (sink.error !== undefined) throw sink.error;
    if (sink.missing) throw new MissingFactError([...sink.missing]);
    return sink.score;
  };
}
