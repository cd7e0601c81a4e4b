import { z } from 'zod';
import { Role, Timestamp, Uuid } from '../common';

export const Email = z.email().max(254).transform((value) => value.toLowerCase());
export const Password = z.string().min(10, 'at least 10 characters').max(200);

export const User = z.object({
  id: Uuid,
  email: z.string(),
  name: z.string(),
  isAdmin: z.boolean(),
  createdAt: Timestamp,
});
export type User = z.infer<typeof User>;

export const SignUpBody = z.object({
  email: Email,
  password: Password,
  name: z.string().trim().min(1).max(100).optional(),
  invite: z.string().min(10).max(200).optional(),
});
export const SignInBody = z.object({ email: Email, password: z.string().min(1).max(200) });
export const RefreshBody = z.object({ refreshToken: z.string().min(10).max(500) });
export const RedeemBody = z.object({ token: z.string().min(10).max(500) });

export const Session = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int().describe('seconds until the access token expires'),
  user: User,
});
export type Session = z.infer<typeof Session>;

export const MeTeam = z.object({ id: Uuid, name: z.string(), role: Role });
export const Me = z.object({ user: User, teams: z.array(MeTeam) });
export type Me = z.infer<typeof Me>;

export const ApiTokenInfo = z.object({
  id: Uuid,
  name: z.string(),
  prefix: z.string().describe('first characters of the token, to recognise it'),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  expiresAt: Timestamp.nullable(),
});
export type ApiTokenInfo = z.infer<typeof ApiTokenInfo>;
export const CreateApiTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export const CreatedApiToken = z.object({
  token: z.string().describe('shown once; store it now'),
  info: ApiTokenInfo,
});
export const TokenParams = z.object({ tokenId: Uuid });
