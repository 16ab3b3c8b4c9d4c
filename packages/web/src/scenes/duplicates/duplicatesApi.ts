/** The duplicate-person calls; the server sends each pair as `persons: [a, b]`. */
import { api, call } from '../../api/client';

export interface DuplicatePerson {
  id: string;
  name: string;
  sex: string;
  birthDate: string;
  idNumberMasked: string;
  householdId: string | null;
  householdNumber: string | null;
}

export interface DuplicatePair {
  /** e.g. 'sameNameBirthDateVillage'. */
  reason: string;
  regionName: string;
  a: DuplicatePerson;
  b: DuplicatePerson;
}

export const listDuplicates = (): Promise<DuplicatePair[]> =>
  call(api.GET('/api/registry/duplicates')).then((pairs) =>
    pairs.flatMap(({ persons: [a, b], ...rest }) => (a && b ? [{ ...rest, a, b }] : [])),
  );

export const mergeDuplicates = (keepPersonId: string, removePersonId: string, reason: string) =>
  call(api.POST('/api/registry/duplicates/merge', { body: { keepPersonId, removePersonId, reason } }));
