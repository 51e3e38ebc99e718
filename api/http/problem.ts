import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../../infra/logger';
import { AppError, STATUS_OF } from '../errors';
import { requestIdOf } from './request-id';
import { setServerTiming } from './server-timing';

export const ProblemSchema = z
  .object({
    type: z.string().meta({
      description: 'URI naming the kind of problem',
      example: 'urn:testing-vouchers:problem:VALIDATION_FAILED',
    }),
    title: z.string().meta({ description: 'short, human-readable summary of the kind of problem' }),
    status: z.number().int(),
    detail: z.string().meta({ description: 'what went wrong with this request, for a person to read' }),
    instance: z.string().meta({ description: 'the request path' }),
    code: z.string().meta({ description: 'stable machine-readable code', example: 'BUDGET_EXHAUSTED' }),
    requestId: z.string(),
    issues: z
      .array(
        z.object({
          in: z.enum(['body', 'query', 'path', 'header']),
          field: z.string(),
          reason: z.string(),
          code: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'each failing field, for validation problems' }),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export type Problem = z.infer<typeof ProblemSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Refused by a business rule',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function problemOf(error: AppError, instance: string, requestId: string): Problem {
  return {
    type: `urn:testing-vouchers:problem:${error.code}`,
    title: TITLES[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    instance,
    code: error.code,
    requestId,
    ...(error.issues.length ? { issues: error.issues } : {}),
    ...(error.details ? { details: error.details } : {}),
  };
}

/** A path segment that is not percent-encoded UTF-8 (e.g. an unpaired surrogate) fails the router's decoding. */
function fromPathDecoding(error: unknown): AppError | null {
  if (!(error instanceof URIError)) return null;
  const reason = 'is not valid percent-encoded UTF-8 text';
  return new AppError('INVALID', `The request path ${reason}`, {
    code: 'VALIDATION_FAILED',
    issues: [{ in: 'path', field: '(path)', reason, code: 'invalid_character' }],
  });
}

/** Errors from body parsing (raw-body/body-parser) carry a `type` and a 4xx `status`. */
function fromBodyParser(error: { type?: string; status?: number; message?: string }): AppError | null {
  switch (error.type) {
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', 'The request body is larger than this endpoint accepts', {
        code: 'PAYLOAD_TOO_LARGE',
      });
    case 'entity.parse.failed':
      return new AppError('INVALID', 'The request body is not valid JSON', {
        code: 'MALFORMED_JSON',
        issues: [{ in: 'body', field: '(root)', reason: 'not valid JSON', code: 'malformed_json' }],
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', error.message ?? 'Unsupported body encoding', {
        code: 'UNSUPPORTED_ENCODING',
      });
    default:
      if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
        return new AppError('INVALID', 'The request body could not be read', { code: 'UNREADABLE_BODY' });
      }
      return null;
  }
}

export function sendProblem(
  res: Parameters<ErrorRequestHandler>[2],
  problem: Problem,
  headers: Record<string, string> = {},
): void {
  setServerTiming(res);
  res.status(problem.status).set(headers).type('application/problem+json').send(JSON.stringify(problem));
}

/** The one place errors become responses; anything unexpected is logged and answered generically. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const requestId = requestIdOf(req);
    const instance = req.originalUrl.split('?')[0] ?? req.originalUrl;
    const known =
      error instanceof AppError
        ? error
        : (fromPathDecoding(error) ?? (error && typeof error === 'object' ? fromBodyParser(error) : null));
    if (known) {
      sendProblem(res, problemOf(known, instance, requestId), known.headers);
      return;
    }
    logger.error({ err: error, requestId, path: instance, method: req.method }, 'unhandled error');
    sendProblem(res, {
      type: 'urn:testing-vouchers:problem:INTERNAL',
      title: TITLES[500]!,
      status: 500,
      detail: `Something went wrong on our side. Quote request id ${requestId} when you report it.`,
      instance,
      code: 'INTERNAL',
      requestId,
    });
  };
}

export { STATUS_OF };
