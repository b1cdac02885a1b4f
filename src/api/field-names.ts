// Services name their field errors after the pages' form fields; the API names them after its JSON body.
import { AppError } from '../http/errors';

/** The same error with each field error renamed (other errors pass through unchanged). */
export function renameFields(err: unknown, rename: (field: string) => string): unknown {
  if (err instanceof AppError && err.code === 'validation' && err.details.fieldErrors) {
    return new AppError('validation', err.message, {
      ...err.details,
      fieldErrors: err.details.fieldErrors.map((f) => ({ ...f, field: rename(f.field) })),
    });
  }
  return err;
}

/** Runs `fn`, renaming the fields of a validation error it throws. */
export async function withFieldNames<T>(rename: (field: string) => string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw renameFields(err, rename);
  }
}
