// Input validation: core's dispatch runs it after the session and permission checks, for every host.
import { z } from 'zod';
import { contract, isMethodName, type MethodName, type ParsedInput } from './registry.js';
import type { ApiError } from './envelope.js';

export type Parsed<M extends MethodName> = { ok: true; method: M; input: ParsedInput<M> } | { ok: false; error: ApiError };

export function parseCall(method: string, raw: unknown): Parsed<MethodName> {
  if (!isMethodName(method)) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${method}` } };
  const result = contract[method].input.safeParse(raw ?? {});
  if (!result.success) return { ok: false, error: badInput(result.error) };
  return { ok: true, method, input: result.data as ParsedInput<MethodName> };
}

export function badInput(err: z.ZodError): ApiError {
  const issues = err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = issues[0];
  const message = first ? `Invalid input${first.path ? ` at ${first.path}` : ''}: ${first.message}` : 'Invalid input';
  return { code: 'BAD_INPUT', message, issues };
}
