/** A thin determinate progress bar with its label and counts, for long work (demo generation). */
import { formatCount } from '../format';

export function ProgressBar({
  label,
  done,
  total,
}: {
  label: string;
  done: number;
  total: number;
}) {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
    >
      <div className="progress-label">
        <span>{label}</span>
        <span className="muted">{Math.round(fraction * 100)}%</span>
      </div>
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
      <div className="progress-counts muted">
        {formatCount(done)} / {formatCount(total)} rows
      </div>
    </div>
  );
}
