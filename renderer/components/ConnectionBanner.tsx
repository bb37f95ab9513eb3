/** Shown while the browser has lost its socket to the web host; the transport reconnects itself. */
import { useEffect, useState } from 'react';
import { transport } from '../api';

export function ConnectionBanner() {
  const [connected, setConnected] = useState(transport.connected);
  const [grace, setGrace] = useState(true);
  useEffect(() => {
    const unsubscribe = transport.onConnectionChange(setConnected);
    // It may have connected before this subscribed.
    setConnected(transport.connected);
    return unsubscribe;
  }, []);
  // The first connect takes a moment; do not flash a banner for it.
  useEffect(() => {
    const timer = setTimeout(() => setGrace(false), 1200);
    return () => clearTimeout(timer);
  }, []);
  if (connected || grace) return null;
  return (
    <div className="connection-banner" role="alert" data-testid="disconnected-banner">
      Disconnected from Strata — reconnecting…
    </div>
  );
}
