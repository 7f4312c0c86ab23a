import type { HostKind, User } from '../shared/contract/models.js';
import type { MethodName, MethodOutput, ParsedInput } from '../shared/contract/registry.js';
import type { StoreHandle } from './store-handle.js';
import type { Sessions } from './sessions.js';
import type { ImportJobs } from './import/jobs.js';
import type { TeamServing } from './serving.js';

export const DEFAULT_IDLE_LOCK_MINUTES = 15;

/** What every handler gets besides its parsed input. */
export interface Ctx {
  store: StoreHandle;
  sessions: Sessions;
  jobs: ImportJobs;
  host: HostKind;
  /** e.g. "desktop@office-pc-3": recorded in every audit entry. */
  hostLabel: string;
  now: () => Date;
  /** Set when the host runs on a test clock (web host only): recorded at login, shown in the UI. */
  testClock: { startedAt: string; realStartedAt: string } | null;
  /** The logged-in user (null only in public methods). */
  user: User | null;
  session: string | null;
  /** The caller's address as the host saw it (team server: the client IP; '' on local hosts). */
  client: string;
  /** On the team server: its address and certificate fingerprint (null on other hosts). */
  serverInfo: { url: string; fingerprint: string } | null;
  /** The desktop app's backend: opens the team server's listener over itself (serve.*); absent elsewhere. */
  serving?: TeamServing | null;
  /** Appends an audit entry as `actor` (default: the logged-in user). Call inside the change's transaction. */
  audit(action: string, entity: string, entityId: string | number | null, detail?: Record<string, unknown>, actor?: User | null): void;
  /** Called when the idle-lock setting changes. */
  onSettingsChanged(): void;
}

export type Handler<M extends MethodName> = (input: ParsedInput<M>, ctx: Ctx) => Promise<MethodOutput<M>> | MethodOutput<M>;
export type Handlers = { [M in MethodName]: Handler<M> };

export function requireUser(ctx: Ctx): User {
  if (!ctx.user) throw new Error('handler needs a logged-in user');
  return ctx.user;
}
