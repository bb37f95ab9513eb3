/**
 * Reconnect a connection whose store could not be reached: the host closes and reopens its
 * backend (and tunnel). Resolves true when it worked, so the caller can fetch its views again.
 */
import { useState } from 'react';
import type { AppError } from '../../../shared/errors';
import { api, toAppError } from '../../api';

export function useReconnect(connectionId: string) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  const reconnect = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.reconnect({ connectionId });
      return true;
    } catch (failure) {
      setError(toAppError(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, reconnect };
}
