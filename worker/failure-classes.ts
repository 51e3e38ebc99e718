import type { RefusalDetail } from '../workflows/refusal';

/**
 * What an activity's failure means for its retries:
 * - `permanent`: it cannot pass (a constraint, a bad value, a missing record); retrying changes
 *   nothing, so the step is refused at once, with the reason;
 * - `transient`: it can pass (a lost connection, a lock or statement timeout, a deadlock, a
 *   serialization failure, a server restarting, SMTP down); retried on the bounded schedule;
 * - `unknown`: anything else, e.g. a defect in the code; retried on the same bounded schedule too, so
 *   that a fix deployed meanwhile can still carry the step through.
 */
export type FailureClass =
  | { class: 'permanent'; refusal: RefusalDetail; message: string }
  | { class: 'transient'; reason: string }
  | { class: 'unknown' };

const UNKNOWN: FailureClass = { class: 'unknown' };

interface DatabaseFailure {
  sqlState?: string;
  /** the driver adapter's name for it, e.g. `UniqueConstraintViolation` */
  kind?: string;
  prismaCode?: string;
  message: string;
  constraint?: string;
}

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

function constraintOf(cause: Loose): string | undefined {
  const constraint = cause.constraint;
  if (!isObject(constraint)) return undefined;
  return (
    text(constraint.index) ?? (Array.isArray(constraint.fields) ? constraint.fields.join(',') : undefined)
  );
}

/** The driver adapter's description (`{ kind, originalCode, originalMessage, constraint }`), where Prisma put it. */
function fromAdapterCause(cause: Loose, fallback: string): DatabaseFailure {
  return {
    sqlState: text(cause.originalCode) ?? text(cause.code),
    kind: text(cause.kind),
    message: text(cause.originalMessage) ?? text(cause.message) ?? fallback,
    constraint: constraintOf(cause),
  };
}

/** Reads a failure of Prisma (with the pg driver adapter) or of `pg` itself, however it is wrapped. */
export function databaseFailure(error: unknown): DatabaseFailure | null {
  if (!isObject(error)) return null;
  const message = text(error.message) ?? '';
  const name = text(error.name) ?? '';
  if (name === 'DriverAdapterError' && isObject(error.cause)) return fromAdapterCause(error.cause, message);
  if (name === 'PrismaClientKnownRequestError') {
    const meta = isObject(error.meta) ? error.meta : {};
    const adapter = isObject(meta.driverAdapterError) && isObject(meta.driverAdapterError.cause);
    const base = adapter
      ? fromAdapterCause((meta.driverAdapterError as Loose).cause as Loose, message)
      : { message };
    return { ...base, prismaCode: text(error.code), sqlState: base.sqlState ?? text(meta.code) };
  }
  if (name === 'PrismaClientValidationError') return { prismaCode: 'VALIDATION', message };
  // the query engine could not even read the request: a value that is not JSON text (an unpaired surrogate)
  if (name === 'PrismaClientUnknownRequestError' && message.includes('JSON Error')) {
    return { prismaCode: 'JSON', message: message.slice(message.indexOf('JSON Error')) };
  }
  // pg's DatabaseError carries the SQLSTATE as `code`
  const code = text(error.code);
  if (name === 'error' || name === 'DatabaseError') {
    if (code && /^[0-9A-Z]{5}$/.test(code))
      return { sqlState: code, message, constraint: text(error.constraint) };
  }
  return null;
}

const PERMANENT_PRISMA: Record<string, [RefusalDetail['kind'], string]> = {
  P2000: ['INVALID', 'VALUE_TOO_LONG'],
  P2001: ['NOT_FOUND', 'RECORD_NOT_FOUND'],
  P2002: ['CONFLICT', 'UNIQUE_VIOLATION'],
  P2003: ['CONFLICT', 'FOREIGN_KEY_VIOLATION'],
  P2004: ['CONFLICT', 'CONSTRAINT_VIOLATION'],
  P2005: ['INVALID', 'INVALID_VALUE'],
  P2006: ['INVALID', 'INVALID_VALUE'],
  P2007: ['INVALID', 'INVALID_VALUE'],
  P2011: ['INVALID', 'NOT_NULL_VIOLATION'],
  P2012: ['INVALID', 'MISSING_VALUE'],
  P2014: ['CONFLICT', 'RELATION_VIOLATION'],
  P2019: ['INVALID', 'INVALID_VALUE'],
  P2020: ['INVALID', 'VALUE_OUT_OF_RANGE'],
  P2023: ['INVALID', 'INVALID_VALUE'],
  P2025: ['NOT_FOUND', 'RECORD_NOT_FOUND'],
  VALIDATION: ['INVALID', 'INVALID_VALUE'],
  JSON: ['INVALID', 'INVALID_VALUE'],
};
const TRANSIENT_PRISMA = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034', 'P2037']);

const PERMANENT_ADAPTER: Record<string, [RefusalDetail['kind'], string]> = {
  UniqueConstraintViolation: ['CONFLICT', 'UNIQUE_VIOLATION'],
  ForeignKeyConstraintViolation: ['CONFLICT', 'FOREIGN_KEY_VIOLATION'],
  RestrictViolation: ['CONFLICT', 'FOREIGN_KEY_VIOLATION'],
  NullConstraintViolation: ['INVALID', 'NOT_NULL_VIOLATION'],
  LengthMismatch: ['INVALID', 'VALUE_TOO_LONG'],
  ValueOutOfRange: ['INVALID', 'VALUE_OUT_OF_RANGE'],
  InvalidInputValue: ['INVALID', 'INVALID_VALUE'],
  InconsistentColumnData: ['INVALID', 'INVALID_VALUE'],
};
const TRANSIENT_ADAPTER = new Set([
  'TransactionWriteConflict',
  'SocketTimeout',
  'ConnectionClosed',
  'DatabaseNotReachable',
  'TooManyConnections',
  'TransactionAlreadyClosed',
]);

/** SQLSTATE: class 22 (data exception) and 23 (integrity constraint) never pass by themselves. */
function bySqlState(sqlState: string): [RefusalDetail['kind'], string] | 'transient' | null {
  if (sqlState === '23505') return ['CONFLICT', 'UNIQUE_VIOLATION'];
  if (sqlState === '23503') return ['CONFLICT', 'FOREIGN_KEY_VIOLATION'];
  if (sqlState === '23514') return ['CONFLICT', 'CHECK_VIOLATION'];
  if (sqlState === '23502') return ['INVALID', 'NOT_NULL_VIOLATION'];
  if (sqlState === '22001') return ['INVALID', 'VALUE_TOO_LONG'];
  if (sqlState.startsWith('23')) return ['CONFLICT', 'CONSTRAINT_VIOLATION'];
  if (sqlState.startsWith('22')) return ['INVALID', 'INVALID_VALUE'];
  // serialization failure, deadlock, lock not available, statement cancelled or timed out, connection
  // exceptions, the server shutting down or out of resources (e.g. too many connections)
  if (['40001', '40P01', '55P03', '57014'].includes(sqlState)) return 'transient';
  if (/^(08|53|57P)/.test(sqlState)) return 'transient';
  return null;
}

/**
 * Rows are written by ids the workflow chose (UUIDs) after checking they are not there yet, so a
 * duplicate primary key is the step racing an earlier attempt of itself that outlived its timeout:
 * the retry finds the row and carries on.
 */
const racingItself = (failure: DatabaseFailure) =>
  (failure.sqlState === '23505' ||
    failure.kind === 'UniqueConstraintViolation' ||
    failure.prismaCode === 'P2002') &&
  failure.constraint?.endsWith('_pkey') === true;

function classifyDatabase(failure: DatabaseFailure): FailureClass {
  if (racingItself(failure)) return { class: 'transient', reason: failure.message };
  const fromState = failure.sqlState ? bySqlState(failure.sqlState) : null;
  const rule =
    (fromState !== 'transient' ? fromState : null) ??
    (failure.kind ? PERMANENT_ADAPTER[failure.kind] : undefined) ??
    (failure.prismaCode ? PERMANENT_PRISMA[failure.prismaCode] : undefined);
  if (rule && fromState !== 'transient') {
    const [kind, code] = rule;
    const details: Record<string, unknown> = {};
    if (failure.sqlState) details.sqlState = failure.sqlState;
    if (failure.prismaCode && /^P\d{4}$/.test(failure.prismaCode)) details.prismaCode = failure.prismaCode;
    if (failure.constraint) details.constraint = failure.constraint;
    return {
      class: 'permanent',
      refusal: { kind, code, details },
      message: `The database refused the step: ${failure.message.trim().split('\n').pop()!.trim()}`,
    };
  }
  if (
    fromState === 'transient' ||
    (failure.kind && TRANSIENT_ADAPTER.has(failure.kind)) ||
    (failure.prismaCode && TRANSIENT_PRISMA.has(failure.prismaCode))
  ) {
    return { class: 'transient', reason: failure.message };
  }
  return UNKNOWN;
}

/** Network failures of Node's sockets (the database, SMTP, the payment gateway) and of nodemailer. */
const TRANSIENT_NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
]);

export function classifyFailure(error: unknown): FailureClass {
  const database = databaseFailure(error);
  if (database) return classifyDatabase(database);
  if (isObject(error)) {
    const code = text(error.code);
    if (code && TRANSIENT_NETWORK.has(code))
      return { class: 'transient', reason: text(error.message) ?? code };
    // SMTP answers 4xx for what may pass (mailbox busy, try later)
    const smtp = error.responseCode;
    if (typeof smtp === 'number' && smtp >= 400 && smtp < 500) {
      return { class: 'transient', reason: text(error.message) ?? `SMTP ${smtp}` };
    }
  }
  return UNKNOWN;
}
