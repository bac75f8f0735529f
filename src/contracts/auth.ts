/**
 * Signing in to the gateway: who may use Crossview and which hospitals each person may see.
 * Site credentials never appear here; they stay in `sites[].auth` on the gateway.
 */
import { z } from 'zod';
import { SiteIdSchema } from './siteId';

export const RoleValues = ['clinician', 'admin'] as const;
export const RoleSchema = z.enum(RoleValues);
export type Role = z.infer<typeof RoleSchema>;

/** `scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>` as written by `npm run hash-password`. */
export const PasswordHashSchema = z
  .string()
  .regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'must be a hash from `npm run hash-password` (scrypt$N$r$p$salt$hash), never a plain password');

export const AccountSchema = z
  .object({
    username: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'must be 1–64 letters, digits or . _ @ -'),
    /** Shown in the UI and written as the verifying observer of signed reports. */
    displayName: z.string().min(1).optional(),
    passwordHash: PasswordHashSchema,
    roles: z.array(RoleSchema).min(1).default(['clinician']),
    /** Site ids this person may see; `"*"` for every site. */
    sites: z.union([z.literal('*'), z.array(SiteIdSchema)]).default('*'),
  })
  .strict();
export type Account = z.infer<typeof AccountSchema>;

export const AccountListSchema = z.array(AccountSchema);

export const OidcConfigSchema = z
  .object({
    issuer: z.url('must be the identity provider\'s issuer URL'),
    clientId: z.string().min(1),
    /** Confidential clients only; public clients rely on PKCE alone. */
    clientSecret: z.string().min(1).optional(),
    /** Where the provider sends the browser back: `<public origin>/api/session/oidc/callback`. */
    redirectUri: z.url(),
    scope: z.string().default('openid profile email'),
    /** The claim holding Crossview roles and the one holding allowed site ids (arrays of strings). */
    rolesClaim: z.string().default('crossview_roles'),
    sitesClaim: z.string().default('crossview_sites'),
    /** Shown on the sign-in button, "Sign in with <displayName>"; the issuer's host when absent. */
    displayName: z.string().min(1).max(60).optional(),
  })
  .strict();

export const AuthConfigSchema = z
  .object({
    /**
     * `local`: accounts below or in `accountsFile`. `oidc`: an OpenID Connect provider.
     * `none`: no sign-in, only while the gateway listens on loopback (one person's workstation).
     */
    mode: z.enum(['local', 'oidc', 'none']).default('local'),
    accounts: z.array(AccountSchema).default([]),
    /** A JSON file holding an array of accounts, read at start (kept out of the main config). */
    accountsFile: z.string().min(1).optional(),
    oidc: OidcConfigSchema.optional(),
    /** Minutes a session lasts after sign-in. */
    sessionMinutes: z.number().int().min(5).max(24 * 60).default(8 * 60),
  })
  .strict()
  .superRefine((auth, ctx) => {
    if (auth.mode === 'oidc' && !auth.oidc) ctx.addIssue({ code: 'custom', message: 'mode "oidc" needs an "oidc" section', path: ['oidc'] });
  });
export type AuthConfig = z.infer<typeof AuthConfigSchema>;

/** `POST /api/session` body. */
export const LoginRequestSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) }).strict();
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/** `GET /api/session`: who is signed in; `POST` answers the same on success. */
export const SessionInfoSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  roles: z.array(RoleSchema),
  sites: z.union([z.literal('*'), z.array(z.string())]),
  /** Send back as `x-csrf-token` on every state-changing request. */
  csrfToken: z.string(),
  /** `none`: nobody signed in because sign-in is off (the UI shows a permanent banner). */
  mode: z.enum(['local', 'oidc', 'none']),
  expiresAt: z.iso.datetime(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

/** `GET /api/session` when nobody is signed in (401): how to sign in here. */
export const SignInOptionsSchema = z.object({
  error: z.string(),
  mode: z.enum(['local', 'oidc', 'none']),
  /** The embedded demo's documented account, shown on its sign-in page; absent in a real config. */
  demoAccount: z.object({ username: z.string(), password: z.string() }).optional(),
  /** Path that starts an OpenID Connect sign-in (add `?returnTo=<path>` to come back there). */
  oidcStart: z.string().optional(),
  /** Who `oidcStart` signs in with, for the button. */
  oidcProvider: z.string().optional(),
  /** Why the last OpenID Connect sign-in in this browser failed (said once). */
  oidcError: z.string().optional(),
});
export type SignInOptions = z.infer<typeof SignInOptionsSchema>;

export const SessionPath = '/api/session';
export const CsrfHeader = 'x-csrf-token';
export const SessionCookie = 'cv_session';
