/**
 * One plugin for the resident-facing part of issue 6 (items 1, 7, 9): resident sign-in and portal,
 * public notices with objections, enrolment. Registers the schemas and the case hooks too, so app.ts
 * needs one line.
 */
import type { FastifyInstance } from 'fastify';
import { Enrolment, EnrolmentDetail, EnrolmentTask, enrolmentRoutes } from '../enrolment/enrolment.routes.ts';
import { noticesRoutes, PublicNotice, PublicNoticeDetail } from '../notices/notices.routes.ts';
import { ResidentPortal, type ResidentRouteDeps, residentRoutes } from './residents.routes.ts';

export async function registerResidentServices(app: FastifyInstance, deps: ResidentRouteDeps): Promise<void> {
  for (const schema of [
    ResidentPortal,
    PublicNotice,
    PublicNoticeDetail,
    EnrolmentTask,
    Enrolment,
    EnrolmentDetail,
  ])
    app.addSchema(schema);
  await app.register(residentRoutes(deps));
  await app.register(noticesRoutes(deps));
  await app.register(enrolmentRoutes(deps));
}
