// "Live enough": the lists a user works from follow what others do (a manager assigns or recalls, a
// colleague logs a call) within a few seconds, without a reload. The app asks `live.version` every few
// seconds while the page is visible; pages put the answer in their effects' dependencies and refetch when
// it moves. Cheap by design: a few index lookups per call.
import { useEffect, useState } from 'react';
import { useApi } from '../context.js';

export const LIVE_POLL_MS = 4_000;

export function useLiveVersion(): string {
  const api = useApi();
  const [version, setVersion] = useState('');
  useEffect(() => {
    let live = true;
    const tick = () => {
      if (document.visibilityState !== 'visible') return;
      api.call('live.version', {}).then(
        (r) => {
          if (live) setVersion((v) => (v === r.version ? v : r.version));
        },
        () => {}, // a lost session or a server away is reported by the calls the user makes
      );
    };
    tick();
    const timer = setInterval(tick, LIVE_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api]);
  return version;
}
