import { z } from 'zod';
import { method } from './method.js';
import { sessionSchema } from './models.js';
import { usernameSchema, passwordSchema, loginPasswordSchema } from '../domain/credentials.js';

export const authMethods = {
  'auth.login': method({
    access: 'public',
    summary: 'Unlock the store with your password and start a session',
    input: z.object({ username: usernameSchema, password: loginPasswordSchema }).strict(),
    output: sessionSchema,
  }),
  'auth.recover': method({
    access: 'public',
    summary: 'Open the store with the recovery key and set a new password for an active user',
    input: z.object({ recoveryKey: z.string().min(1).max(200), username: usernameSchema, newPassword: passwordSchema }).strict(),
    output: sessionSchema,
  }),
  'auth.logout': method({
    access: 'session',
    summary: 'End this session (the store locks when no session is left)',
    input: z.object({}).strict(),
    output: z.object({}),
  }),
  'auth.me': method({
    access: 'session',
    summary: 'The current user and permissions',
    input: z.object({}).strict(),
    output: sessionSchema.omit({ token: true }),
  }),
  'auth.changePassword': method({
    access: 'session',
    summary: 'Change your own password (rewrites your key slot only)',
    input: z.object({ currentPassword: loginPasswordSchema, newPassword: passwordSchema }).strict(),
    output: z.object({}),
  }),
};
