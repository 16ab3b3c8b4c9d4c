/**
 * Precedence between policies (`supersedes` in a policy file): when a household qualifies for a
 * policy and for another that supersedes it, only the superseding one applies (tekun supersedes
 * dibao: a person supported as tekun is not also paid dibao). Applied after every policy of the
 * household is decided, so each consumer (self-check, screening, prescription, what-if) sees the
 * same answer. Decided on the statuses as the conditions gave them: "qualifies for", not "after
 * precedence", so the outcome never depends on the order of the policies.
 */
import type { CompiledPolicy } from '../catalog/types.ts';

/** For each policy of the list, the indexes (in the same list) of the policies superseding it. */
export function supersedingIndexes(
  policies: readonly CompiledPolicy[],
): (readonly number[] | undefined)[] | undefined {
  const index = new Map(policies.map((p, i) => [p.id, i]));
  const out: (number[] | undefined)[] = policies.map(() => undefined);
  let any = false;
  policies.forEach((p, i) => {
    for (const id of p.supersedes) {
      const j = index.get(id);
      if (j === undefined) continue; // not evaluated in this run (a policy subset)
      const list = out[j] ?? [];
      list.push(i);
      out[j] = list;
      any = true;
    }
  });
  return any ? out : undefined;
}

/**
 * For each policy index, the index of the policy that supersedes it for this household, or -1.
 * `eligible(i)` reads the household's status of policy i as the conditions decided it.
 */
export function supersededBy(
  by: readonly (readonly number[] | undefined)[],
  eligible: (policy: number) => boolean,
): Int32Array {
  const out = new Int32Array(by.length).fill(-1);
  for (let p = 0; p < by.length; p++) {
    const list = by[p];
    if (!list || !eligible(p)) continue;
    for (const q of list) {
      if (eligible(q)) {
        out[p] = q;
        break;
      }
    }
  }
  return out;
}
