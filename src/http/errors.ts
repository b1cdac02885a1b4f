// One error vocabulary for the portal. Services throw these; the error handler maps them per surface.
export type AppErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'unauthenticated'
  | 'conflict'
  | 'validation'
  | 'bad_request'
  | 'rate_limited'
  /** Stage 3: a required test-bed scenario is still open (details.open names them). */
  | 'conformance_incomplete';

/** `message` is an i18n key (translated at the edge, so pages and the JSON API share one vocabulary). */
export interface FieldError {
  field: string;
  message: string;
  params?: Record<string, string | number>;
}

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: { fieldErrors?: FieldError[]; currentState?: string; open?: string[] } = {},
  ) {
    super(message);
  }
  get statusCode(): number {
    return {
      not_found: 404,
      forbidden: 403,
      unauthenticated: 401,
      conflict: 409,
      validation: 422,
      bad_request: 400,
      rate_limited: 429,
      conformance_incomplete: 409,
    }[this.code];
  }
}

export const notFound = (what = 'not found') => new AppError('not_found', what);
export const conflict = (message: string, currentState?: string) => new AppError('conflict', message, { currentState });
export const validationFailed = (fieldErrors: FieldError[]) =>
  new AppError('validation', 'validation failed', { fieldErrors });
