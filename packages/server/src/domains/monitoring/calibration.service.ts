/**
 * Calibration requests: back-test the model version in force and compare two band settings on
 * sample villages, then keep the result (monitoring_calibration) beside that version.
 */
import type { Database } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { readSnapshotPage, refreshSnapshot } from '../householdFacts/snapshot.repo.ts';
import type { SnapshotRow } from '../householdFacts/snapshotFacts.ts';
import { isWithin } from '../regions/regionCode.ts';
import { checkDate, today } from '../registry/registry.model.ts';
import { activeCatalog } from '../rules/activeCatalog.ts';
import {
  type BandSetting,
  backTest,
  backTestWithTruth,
  compareSettings,
  outcomesFromAlerts,
  scoreHouseholds,
} from './calibration.ts';
import { triggersOf, triggersVersion } from './triggers.ts';

export interface CalibrationBody {
  modelId?: string;
  asOf?: string;
  villages: string[];
  settings: BandSetting[];
  note?: string;
}

export interface CalibrationOptions {
  /** Known hardship per household (a ground truth); default: the outcomes of past alerts. */
  truth?: ReadonlyMap<string, boolean>;
}

function checkSettings(settings: readonly BandSetting[]) {
  settings.forEach((s, i) => {
    for (const k of ['red', 'yellow', 'blue'] as const)
      if (!Number.isFinite(s[k]))
        throw errors.validation(
          `settings.${i}.${k}`,
          `方案${i + 1}的${k}线应为数字`,
          'bound must be a number',
        );
    if (!(s.red > s.yellow && s.yellow > s.blue))
      throw errors.validation(
        `settings.${i}`,
        `方案${i + 1}（${s.label}）的预警线应满足 红线 > 黄线 > 蓝线`,
        'bounds must satisfy red > yellow > blue',
      );
  });
}

export async function calibrate(
  db: Database,
  actor: Actor | undefined,
  body: CalibrationBody,
  requestId?: string,
  options: CalibrationOptions = {},
) {
  authorize(actor, Permission.monitoringRun);
  const asOf = checkDate(body.asOf ?? today(), 'asOf');
  const villages = [...new Set(body.villages)];
  for (const v of villages) if (!isWithin(v, actor.regionCode)) throw errors.outOfScope(`样本村${v}`);
  checkSettings(body.settings);
  const active = await activeCatalog(db, asOf);
  const triggers = triggersOf(active);
  const modelId = body.modelId ?? triggers.models[0]?.model ?? 'xiaochang';
  const raise = triggers.models.find((m) => m.model === modelId)?.raise ?? ['red', 'yellow'];
  const model = active.catalog.indicators?.find((m) => m.id === modelId);
  if (!model)
    throw errors.validation('modelId', `指标模型${modelId}不存在`, `unknown indicator model ${modelId}`);
  const rows: SnapshotRow[] = [];
  for (const village of villages) {
    await refreshSnapshot(db, actor, village);
    let after: string | null = null;
    for (;;) {
      const page = await asActor(db, actor, requestId, (tx) =>
        readSnapshotPage(tx, { regionCode: village, after, limit: 5000 }),
      );
      rows.push(...page);
      if (page.length < 5000) break;
      after = (page.at(-1) as SnapshotRow).household_id;
    }
  }
  const ids = rows.map((r) => r.household_id);
  const scores = scoreHouseholds(active.catalog, modelId, rows, asOf);
  return asActor(db, actor, requestId, async (tx) => {
    const truth = options.truth ?? (await outcomesFromAlerts(tx, ids));
    const settings = compareSettings(ids, scores, body.settings, raise, truth);
    const past = options.truth
      ? await backTestWithTruth(tx, options.truth)
      : await backTest(tx, model.version);
    const result = {
      households: ids.length,
      raise,
      truthSource: options.truth ? 'groundTruth' : 'alertOutcomes',
      settings,
      backTest: past,
    };
    const inserted = await tx.query<{ id: string; created_at: Date }>(
      `INSERT INTO monitoring_calibration (region_code, model_id, model_version, catalog_version, triggers_version,
         as_of, sample_villages, settings, result, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, created_at`,
      [
        actor.regionCode,
        modelId,
        model.version,
        active.version,
        triggersVersion(triggers),
        asOf,
        villages,
        JSON.stringify(body.settings),
        JSON.stringify(result),
        body.note ?? null,
      ],
    );
    const row = inserted.rows[0] as { id: string; created_at: Date };
    await appendAudit(tx, {
      action: 'monitoring.calibrate',
      entityType: 'monitoring_calibration',
      entityId: row.id,
      regionCode: actor.regionCode,
      actorRole: actor.role,
      after: { modelId, modelVersion: model.version, villages, settings: body.settings },
    });
    return {
      id: row.id,
      modelId,
      modelVersion: model.version,
      catalogVersion: active.version,
      asOf,
      villages,
      createdAt: row.created_at.toISOString(),
      ...result,
    };
  });
}

export async function listCalibrations(
  db: Database,
  actor: Actor | undefined,
  query: { modelId?: string; page: number; pageSize: number },
  requestId?: string,
) {
  authorize(actor, Permission.monitoringRead);
  return asActor(db, actor, requestId, async (tx) => {
    const r = await tx.query<{
      id: string;
      model_id: string;
      model_version: string;
      catalog_version: string;
      as_of: string;
      sample_villages: string[];
      result: Record<string, unknown>;
      note: string | null;
      created_at: Date;
    }>(
      `SELECT id, model_id, model_version, catalog_version, to_char(as_of, 'YYYY-MM-DD') AS as_of, sample_villages,
              result, note, created_at
         FROM monitoring_calibration WHERE ($1::text IS NULL OR model_id = $1)
        ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [query.modelId ?? null, query.pageSize, (query.page - 1) * query.pageSize],
    );
    const total = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM monitoring_calibration WHERE ($1::text IS NULL OR model_id = $1)',
      [query.modelId ?? null],
    );
    return {
      items: r.rows.map((c) => ({
        id: c.id,
        modelId: c.model_id,
        modelVersion: c.model_version,
        catalogVersion: c.catalog_version,
        asOf: c.as_of,
        villages: c.sample_villages,
        note: c.note,
        createdAt: c.created_at.toISOString(),
        result: c.result,
      })),
      total: total.rows[0]?.n ?? 0,
      page: query.page,
      pageSize: query.pageSize,
    };
  });
}
