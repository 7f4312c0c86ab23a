import type { z } from 'zod';
import type { Permission } from '../domain/roles.js';

/** Who may call: anyone (before login), any logged-in user, or holders of one permission. */
export type Access = 'public' | 'session' | Permission;

export interface MethodSpec<I extends z.ZodType, O extends z.ZodType> {
  access: Access;
  /** One line for `agencydesk methods` and the docs. */
  summary: string;
  input: I;
  output: O;
}

export function method<I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> {
  return spec;
}
