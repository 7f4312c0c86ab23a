// Idle lock: with no mouse, keyboard or touch activity for `minutes`, call onIdle (which logs out).
// While the user is active, a light `auth.me` keeps the backend session from expiring on its own.
import { useEffect, useRef } from 'react';
import type { Api } from '../api/client.js';

const EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;
const CHECK_EVERY_MS = 5_000;

export function useIdleLock(api: Api, minutes: number, onIdle: () => void): void {
  const lastActivity = useRef(Date.now());
  const onIdleRef = useRef(onIdle);
  onIdleRef.current = onIdle;

  useEffect(() => {
    const limitMs = minutes * 60_000;
    // Keep-alive at a fraction of the limit (at most once a minute), only after real activity.
    const keepAliveMs = Math.min(60_000, limitMs / 3);
    let fired = false;
    let keepAliveInFlight = false;
    lastActivity.current = Date.now();

    const onActivity = () => {
      const now = Date.now();
      lastActivity.current = now;
      if (!keepAliveInFlight && now - api.lastCallAt > keepAliveMs) {
        keepAliveInFlight = true;
        api.call('auth.me', {}).then(
          () => (keepAliveInFlight = false),
          () => (keepAliveInFlight = false),
        );
      }
    };
    for (const ev of EVENTS) window.addEventListener(ev, onActivity, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      if (!fired && Date.now() - lastActivity.current >= limitMs) {
        fired = true;
        onIdleRef.current();
      }
    }, CHECK_EVERY_MS);
    return () => {
      for (const ev of EVENTS) window.removeEventListener(ev, onActivity, { capture: true });
      window.clearInterval(timer);
    };
  }, [api, minutes]);
}
