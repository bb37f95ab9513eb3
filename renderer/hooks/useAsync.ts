/**
 * Run an api call whenever its inputs change, abort the previous one, and expose value / error /
 * loading. `load` must be stable for the same inputs (wrap it in useCallback). A call the host
 * reports cancelled although this side did not cancel it (a lookup shared with a caller that
 * went away) is asked again, a few times, rather than left loading for ever.
 */
import { useEffect, useState } from 'react';
import type { AppError } from '../../shared/errors';
import { isCancelled, toAppError } from '../api';

export const spuriousCancelRetries = 3;

export interface AsyncState<T> {
  value: T | undefined;
  error: AppError | undefined;
  loading: boolean;
}

export function useAsync<T>(
  load: ((signal: AbortSignal) => Promise<T>) | undefined,
): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({
    value: undefined,
    error: undefined,
    loading: !!load,
  });
  useEffect(() => {
    if (!load) return;
    const controller = new AbortController();
    setState((previous) => ({ value: previous.value, error: undefined, loading: true }));
    const attempt = (retries: number) =>
      load(controller.signal).then(
        (value) => {
          if (!controller.signal.aborted) setState({ value, error: undefined, loading: false });
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          if (isCancelled(error) && retries > 0) return void attempt(retries - 1);
          setState({ value: undefined, error: toAppError(error), loading: false });
        },
      );
    void attempt(spuriousCancelRetries);
    return () => controller.abort();
  }, [load]);
  return state;
}
