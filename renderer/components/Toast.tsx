/** Short confirmations ("Copied 12 cells") that fade on their own. */
import { useCallback, useEffect, useState } from 'react';

export function useToast(): [message: string | undefined, notify: (message: string) => void] {
  const [toast, setToast] = useState<{ message: string; id: number }>();
  const notify = useCallback((message: string) => setToast({ message, id: Date.now() }), []);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(undefined), 2600);
    return () => clearTimeout(timer);
  }, [toast]);
  return [toast?.message, notify];
}

export function Toast({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <div className="toast" role="status" data-testid="toast">
      {message}
    </div>
  );
}
