// What a host that can open the team server's listener over this backend gives it (the desktop app's backend
// process: server/serving.ts). Core only starts, stops and asks; the HTTPS code stays in the host layer.
import type { Listen } from '../shared/contract/serve.js';
import type { HostKind } from '../shared/contract/models.js';

export interface ServingState {
  listen: Listen;
  urls: string[];
  fingerprint: string;
  certPath: string;
  since: string;
  startedBy: string;
}

export interface TeamServing {
  /** The running listener, null when not serving. */
  state(): ServingState | null;
  /** Opens the listener (throws ApiFailure CONFLICT when the port is taken). */
  start(listen: Listen, by: string): Promise<ServingState>;
  /** Closes the listener and ends the network sessions; resolves once the port is closed. */
  stop(): Promise<void>;
  /** The remembered choice (a small file in the store folder: no secret in it). */
  remembered(): { listen: Listen; autoStart: boolean } | null;
  remember(listen: Listen, autoStart: boolean): void;
}

/**
 * The host a call is judged as. A call that came through the listener the desktop opened (it carries the
 * desk's address; the desktop's own calls carry none) is a team-server call in every rule that depends on the
 * host — uploads only, no local paths — so a desk cannot make this computer read or write its own files.
 */
export const hostOfCall = (host: HostKind, client: string): HostKind => (host === 'desktop' && client !== '' ? 'server' : host);
