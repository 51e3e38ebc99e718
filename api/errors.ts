/**
 * The one error type of the API. Routes, repositories and workflow updates raise it; the error
 * middleware turns it into application/problem+json (RFC 9457) with a stable `code`.
 */
export type ErrorKind =
  | 'INVALID'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BUSINESS_RULE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE';

export const STATUS_OF: Record<ErrorKind, number> = {
  INVALID: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BUSINESS_RULE: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export interface FieldIssue {
  /** where the value was: body, query, path or header */
  in: 'body' | 'query' | 'path' | 'header';
  /** dotted path of the field, e.g. `demand.standards.0` */
  field: string;
  reason: string;
  code: string;
}

export interface AppErrorOptions {
  /** a stable, specific code within the kind, e.g. `BUDGET_EXHAUSTED`; defaults to the kind */
  code?: string;
  issues?: FieldIssue[];
  /** further machine-readable details of a refusal, e.g. every failed eligibility rule */
  details?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly code: string;
  readonly issues: FieldIssue[];
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string>;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = options.code ?? kind;
    this.issues = options.issues ?? [];
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  get status(): number {
    return STATUS_OF[this.kind];
  }

  static notFound(what: string, id?: string): AppError {
    return new AppError('NOT_FOUND', id ? `${what} ${id} was not found` : `${what} was not found`);
  }

  static forbidden(message = 'You are not allowed to do this'): AppError {
    return new AppError('FORBIDDEN', message);
  }
}
