/**
 * Run an api call whenever its inputs change, abort the previous one, and expose value / error /
 * loading. `load` must be stable for the same inputs (wrap it in useCallback).
 */
import { useEffect, useState } from 'react';
import type { AppError } from '../../shared/errors';
import { isCancelled, toAppError } from '../api';

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
    load(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) setState({ value, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted || isCancelled(error)) return;
        setState({ value: undefined, error: toAppError(error), loading: false });
      },
    );
    return () => controller.abort();
  }, [load]);
  return state;
}
