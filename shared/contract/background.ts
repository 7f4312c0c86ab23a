// Methods pages call on a timer, not on the user's behalf: neither the backend (a session's idle time) nor the
// page's client (its keep-alive) counts them as the user's activity, or a page left open would never go idle.
import type { MethodName } from './registry.js';

export const BACKGROUND_METHODS: ReadonlySet<MethodName> = new Set<MethodName>(['live.version', 'home.summary', 'assign.applying']);
