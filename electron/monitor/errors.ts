/**
 * Turns anything thrown into an AppError. Engine-specific codes are translated inside each
 * engine's folder (e.g. backends/sqlite/errors.ts); this handles what every layer can throw.
 */
import { ZodError } from 'zod';
import { AppError } from '../../shared/errors.js';

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return new AppError(
      'invalid-input',
      `Invalid request${where}: ${issue?.message ?? 'malformed'}`,
    );
  }
  if (isErrnoError(error)) {
    switch (error.code) {
      case 'ENOENT':
        return new AppError('not-found', `No such file: ${error.path ?? ''}`.trim(), undefined, {
          cause: error,
        });
      case 'EACCES':
      case 'EPERM':
        return new AppError(
          'permission-denied',
          `Permission denied: ${error.path ?? ''}`.trim(),
          'Check the file permissions.',
          { cause: error },
        );
      case 'ENOSPC':
        return new AppError('unavailable', 'The disk is full', 'Free some space and try again.', {
          cause: error,
        });
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('internal', message || 'Unexpected error', undefined, { cause: error });
}

function isErrnoError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
