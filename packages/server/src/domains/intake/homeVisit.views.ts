/** How a home visit leaves the API: the record, its photos (metadata only) and the investigators. */
import type { Queryable } from '../../db/database.ts';
import * as repo from './homeVisit.repo.ts';

export async function visitView(tx: Queryable, v: repo.VisitRow, replayed = false) {
  const photos = await repo.photosOf(tx, v.id);
  const second = await tx.query<{ username: string }>('SELECT username FROM app_user WHERE id = $1', [
    v.second_investigator_id,
  ]);
  return {
    id: v.id,
    caseId: v.case_id,
    step: v.step,
    householdId: v.household_id,
    regionCode: v.region_code,
    status: v.status,
    visitedAt: new Date(v.visited_at).toISOString(),
    location: {
      source: v.location_source,
      latitude: v.latitude,
      longitude: v.longitude,
      accuracyM: v.accuracy_m,
      address: v.address,
    },
    firstInvestigator: { id: v.first_investigator_id, name: v.first_investigator_name },
    secondInvestigator: {
      id: v.second_investigator_id,
      name: v.second_investigator_name,
      username: second.rows[0]?.username ?? '',
    },
    confirmedAt: v.confirmed_at ? new Date(v.confirmed_at).toISOString() : null,
    figures: v.figures,
    living: v.living,
    note: v.note,
    photos: photos.map((p) => ({
      id: p.id,
      width: p.width,
      height: p.height,
      bytes: p.byte_size,
      caption: p.caption,
      createdAt: new Date(p.created_at).toISOString(),
    })),
    version: v.version,
    replayed,
    takeHighest: v.status === 'confirmed' ? 'verification' : 'visitOnly',
  };
}
