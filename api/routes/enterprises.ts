import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EnterpriseRecord } from '../../db/repositories/enterprises';
import { EnterpriseRegistrationSchema, EnterpriseTagSchema } from '../../domain/enterprise';
import { AppError } from '../errors';
import { defineRoute } from '../http/route';
import { actorOf } from '../http/workflows';

export const EnterpriseView = z
  .object({
    id: z.uuid(),
    creditCode: z.string(),
    name: z.string(),
    regionCode: z.string(),
    industryCode: z.string(),
    employees: z.number().int(),
    annualRevenueFen: z.number().int(),
    legalRepresentative: z.string(),
    contactPhone: z.string(),
    address: z.string(),
    tags: z.array(EnterpriseTagSchema),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Enterprise' });

function view(enterprise: EnterpriseRecord): z.infer<typeof EnterpriseView> {
  return {
    ...enterprise,
    tags: enterprise.tags as z.infer<typeof EnterpriseTagSchema>[],
    createdAt: enterprise.createdAt.toISOString(),
  };
}

const IdParams = z.strictObject({ id: z.uuid() });

export const enterpriseRoutes = [
  defineRoute({
    method: 'post',
    path: '/enterprises',
    operationId: 'registerEnterprise',
    summary: 'Register the enterprise the calling SME user works for',
    description: 'The credit code is checked against GB 32100-2015. The user becomes the enterprise’s staff.',
    tags: ['enterprises'],
    access: ['SME'],
    request: { body: EnterpriseRegistrationSchema },
    responses: { 201: { description: 'The registered enterprise', schema: EnterpriseView } },
    errors: ['CONFLICT'],
    handler: async ({ body, user, deps, requestId }) => {
      if (user.enterpriseId) {
        throw new AppError('CONFLICT', 'Your account already belongs to an enterprise', {
          code: 'ENTERPRISE_ALREADY_REGISTERED',
          details: { enterpriseId: user.enterpriseId },
        });
      }
      const result = await deps.repos.enterprises.register(
        { id: randomUUID(), userId: user.id, enterprise: body },
        (created) => ({
          actor: { ...actorOf(user), organisationId: created.id },
          requestId,
          action: 'ENTERPRISE_REGISTERED',
          entityType: 'enterprise',
          entityId: created.id,
          after: { creditCode: created.creditCode, name: created.name, regionCode: created.regionCode },
        }),
      );
      if ('refused' in result) {
        throw new AppError(
          'CONFLICT',
          `An enterprise with credit code ${body.creditCode} is already registered`,
          { code: 'CREDIT_CODE_TAKEN' },
        );
      }
      return { status: 201, body: view(result.registered) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/enterprises/:id',
    operationId: 'getEnterprise',
    summary: 'An enterprise',
    tags: ['enterprises'],
    access: ['SME', 'ADMIN', 'AUDITOR'],
    request: { params: IdParams },
    responses: { 200: { description: 'The enterprise', schema: EnterpriseView } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, user, deps }) => {
      const enterprise = await deps.repos.enterprises.findById(params.id);
      if (!enterprise || (user.role === 'SME' && user.enterpriseId !== enterprise.id)) {
        throw AppError.notFound('enterprise', params.id);
      }
      return { status: 200, body: view(enterprise) };
    },
  }),
];
