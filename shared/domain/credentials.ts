// Username and password rules, shared by the setup screen, the users screen, the CLI and core.
import { z } from 'zod';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, 'username: 2–32 of a-z, 0-9, . _ -, starting with a letter or digit');

export const PASSWORD_MIN_LENGTH = 10;

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `password: at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200, 'password: at most 200 characters');

/** The password as typed at login: never trimmed, only bounded. */
export const loginPasswordSchema = z.string().min(1, 'password required').max(200);

export const displayNameSchema = z.string().trim().min(1, 'name required').max(80);
