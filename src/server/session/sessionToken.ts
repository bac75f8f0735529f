/**
 * Sessions are signed cookies rather than rows in one process's memory, so any gateway instance
 * holding the same secret accepts a session another instance made (DESIGN.md: the gateway is
 * stateless apart from sessions and meeting rooms). HMAC-SHA256 over the payload; expiry inside.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { RoleSchema } from '../../contracts/index';

const SessionPayloadSchema = z.object({
  v: z.literal(1),
  /** username */
  u: z.string(),
  /** display name */
  n: z.string(),
  r: z.array(RoleSchema),
  s: z.union([z.literal('*'), z.array(z.string())]),
  /** CSRF token bound to this session. */
  c: z.string(),
  /** session id (audit summaries are per session) */
  i: z.string(),
  /** expiry, ms since epoch */
  e: z.number(),
});
export type SessionPayload = z.infer<typeof SessionPayloadSchema>;

export interface SessionSigner {
  sign(payload: SessionPayload): string;
  /** The payload when the signature is ours and the session has not expired. */
  verify(token: string, now?: number): SessionPayload | undefined;
}

export function createSessionSigner(secret: Buffer): SessionSigner {
  const mac = (body: string) => createHmac('sha256', secret).update(body).digest();
  return {
    sign(payload) {
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(token, now = Date.now()) {
      const dot = token.indexOf('.');
      if (dot <= 0 || token.length > 8192) return undefined;
      const body = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = mac(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const parsed = SessionPayloadSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
        if (!parsed.success || parsed.data.e <= now) return undefined;
        return parsed.data;
      } catch {
        return undefined;
      }
    },
  };
}

export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
