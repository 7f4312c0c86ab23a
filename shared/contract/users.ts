import { z } from 'zod';
import { method } from './method.js';
import { idSchema, teamSchema, userSchema } from './models.js';
import { usernameSchema, passwordSchema, displayNameSchema } from '../domain/credentials.js';
import { ROLES } from '../domain/roles.js';

const teamName = z.string().trim().min(1).max(60);

export const userMethods = {
  'users.list': method({
    access: 'users.read',
    summary: 'All users with role, team and status',
    input: z.object({ includeDisabled: z.boolean().default(true) }).strict(),
    output: z.object({ users: z.array(userSchema) }),
  }),
  'users.create': method({
    access: 'users.manage',
    summary: 'Create a user with a password (adds a key slot)',
    input: z
      .object({
        username: usernameSchema,
        displayName: displayNameSchema,
        role: z.enum(ROLES),
        teamId: idSchema.nullable().default(null),
        password: passwordSchema,
      })
      .strict(),
    output: userSchema,
  }),
  'users.update': method({
    access: 'users.manage',
    summary: "Change a user's name, role or team",
    input: z
      .object({ id: idSchema, displayName: displayNameSchema.optional(), role: z.enum(ROLES).optional(), teamId: idSchema.nullable().optional() })
      .strict(),
    output: userSchema,
  }),
  'users.disable': method({
    access: 'users.manage',
    summary: 'Disable a user and remove their key slot',
    input: z.object({ id: idSchema }).strict(),
    output: userSchema,
  }),
  'users.enable': method({
    access: 'users.manage',
    summary: 'Re-enable a user with a new password (new key slot)',
    input: z.object({ id: idSchema, password: passwordSchema }).strict(),
    output: userSchema,
  }),
  'users.resetPassword': method({
    access: 'users.manage',
    summary: "Set another user's password (rewrites their key slot)",
    input: z.object({ id: idSchema, password: passwordSchema }).strict(),
    output: userSchema,
  }),
  'teams.list': method({
    access: 'users.read',
    summary: 'Teams with member counts',
    input: z.object({}).strict(),
    output: z.object({ teams: z.array(teamSchema) }),
  }),
  'teams.create': method({
    access: 'users.manage',
    summary: 'Create a team',
    input: z.object({ name: teamName }).strict(),
    output: teamSchema,
  }),
  'teams.rename': method({
    access: 'users.manage',
    summary: 'Rename a team',
    input: z.object({ id: idSchema, name: teamName }).strict(),
    output: teamSchema,
  }),
};
