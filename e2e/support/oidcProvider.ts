/**
 * A real OpenID Connect provider for tests: panva's certified `oidc-provider` on loopback, with
 * its development login and consent pages, one client that must use PKCE, and accounts whose
 * profile claims carry Crossview roles and sites. Nothing is mocked: the gateway discovers it,
 * redirects to it, exchanges codes with it and checks its signed ID tokens.
 */
import http from 'node:http';
import Provider from 'oidc-provider';
import { findFreePort } from '../hospitals/orthanc';

export interface TestOidcAccount {
  preferred_username?: string;
  name?: string;
  crossview_roles?: string[];
  crossview_sites?: string[] | string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  close(): Promise<void>;
}

/** Starts the provider; `redirectUri` is the gateway's callback (its port must be known). */
export async function startOidcProvider(options: { redirectUri: string; accounts: Record<string, TestOidcAccount>; clientId?: string }): Promise<TestOidcProvider> {
  const port = await findFreePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = options.clientId ?? 'crossview';
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, token_endpoint_auth_method: 'none', redirect_uris: [options.redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'crossview_roles', 'crossview_sites'] },
    cookies: { keys: ['crossview-test-provider-cookie-key'] },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, sub) => {
      const account = options.accounts[sub];
      return account ? { accountId: sub, claims: () => ({ sub, ...account }) } : undefined;
    },
  });
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    issuer,
    clientId,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
