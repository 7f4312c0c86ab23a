// The wire format every host returns: one shape for IPC, HTTP and the CLI.
import { z } from 'zod';

export const ERROR_CODES = [
  'BAD_INPUT', // input failed the method's zod schema
  'UNKNOWN_METHOD',
  'UNAUTHENTICATED', // no or unknown session
  'SESSION_EXPIRED', // idle lock: log in again
  'FORBIDDEN', // the role lacks the permission
  'NOT_FOUND',
  'CONFLICT', // e.g. username taken, last admin
  'WRONG_PASSWORD',
  'LOCKED_OUT', // too many failures: wait retryAfterSeconds
  'NOT_INITIALIZED',
  'ALREADY_INITIALIZED',
  'STORE_BUSY', // another instance holds the store
  'STORE_TOO_NEW', // written by a newer AgencyDesk
  'STORE_CORRUPT',
  'BUSY', // the server is busy (a login storm, a long writer): retry after retryAfterSeconds
  'COMPLIANCE', // a guardrail refuses the contact attempt: see violations
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const apiErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  retryAfterSeconds: z.number().int().nonnegative().optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** A stable message key (shared/contract/messages.ts) and its parameters: the UI translates by key and
   *  falls back to `message` (English) for a key it does not know. */
  key: z.string().max(80).optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** For COMPLIANCE: every rule the attempt breaks, and whether a manager may override it. */
  violations: z.array(z.object({ rule: z.string(), message: z.string(), overridable: z.boolean() })).optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const envelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorSchema }),
]);

/** A request as it crosses a host boundary (IPC message, HTTP body, utility-process message). */
export const requestSchema = z.object({
  method: z.string().min(1).max(100),
  input: z.unknown(),
  session: z.string().max(200).optional(),
});
export type ApiRequest = z.infer<typeof requestSchema>;
