/**
 * The saved connections, kept current by the host's events: `connectionsChanged` refetches the
 * list (coalesced, since demo generation changes the status many times a second) and `jobProgress`
 * carries live progress for connections that are still being prepared.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConnectionInfo, JobProgress } from '../../../shared/model';
import type { AppError } from '../../../shared/errors';
import { api, toAppError, transport } from '../../api';

const coalesceMs = 150;

export function useConnections() {
  const [connections, setConnections] = useState<ConnectionInfo[]>();
  const [error, setError] = useState<AppError>();
  const [jobs, setJobs] = useState<Record<string, JobProgress>>({});
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const reload = useCallback(() => {
    api.listConnections({}).then(
      (list) => {
        setConnections(list);
        setError(undefined);
      },
      (failure: unknown) => setError(toAppError(failure)),
    );
  }, []);

  useEffect(() => {
    reload();
    const scheduleReload = () => {
      if (timer.current !== undefined) return;
      timer.current = setTimeout(() => {
        timer.current = undefined;
        reload();
      }, coalesceMs);
    };
    const offChanged = api.on('connectionsChanged', scheduleReload);
    const offProgress = api.on('jobProgress', (progress) =>
      setJobs((current) => ({ ...current, [progress.label]: progress })),
    );
    const offConnection = transport.onConnectionChange((connected) => connected && reload());
    return () => {
      offChanged();
      offProgress();
      offConnection();
      clearTimeout(timer.current);
    };
  }, [reload]);

  return { connections, error, jobs, reload };
}

/** A preparing connection's progress: the live job if one matches its label, else its status. */
export function preparingProgress(
  connection: ConnectionInfo,
  jobs: Record<string, JobProgress>,
): { label: string; done: number; total: number } | undefined {
  const status = connection.status;
  if (status.state !== 'preparing') return undefined;
  const job = jobs[status.label];
  if (job && job.state === 'running' && job.done >= status.done) {
    return { label: status.label, done: job.done, total: job.total };
  }
  return status;
}
