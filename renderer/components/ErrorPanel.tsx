/** A calm, text-only error: what happened, and the host's hint about what to do. */
import type { AppError } from '../../shared/errors';

export function ErrorPanel({ error, title }: { error: AppError; title?: string }) {
  return (
    <div className="error-panel" role="alert" data-error-code={error.code}>
      {title && <div className="error-title">{title}</div>}
      <div className="error-message">{error.message}</div>
      {error.hint && <div className="error-hint">{error.hint}</div>}
    </div>
  );
}
