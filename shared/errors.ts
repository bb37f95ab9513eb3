/**
 * Errors that cross a boundary: a stable code the UI can act on, a sentence for a person, and
 * what to do about it. Driver errors are translated into these in one place (the `op()` wrapper).
 */
export const errorCodes = [
  'invalid-input',
  'not-found',
  'not-a-database',
  'locked',
  'read-only',
  'permission-denied',
  'query-failed',
  'cancelled',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface SerializedError {
  code: ErrorCode;
  message: string;
  hint?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.hint = hint;
  }

  toJSON(): SerializedError {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint };
  }

  static from(serialized: SerializedError): AppError {
    return new AppError(serialized.code, serialized.message, serialized.hint);
  }
}

export function isSerializedError(value: unknown): value is SerializedError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (errorCodes as readonly string[]).includes((value as { code: string }).code) &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
