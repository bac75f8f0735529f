/** The embedded demo's config: one folder-backed site per demo hospital. */
import { join } from 'node:path';
import { parseConfig, type CrossviewConfig } from '../contracts/index';
import type { DemoManifest } from '../demo/index';
import { hashPassword } from './session/index';

/** The embedded demo's one documented account, printed on its sign-in page. */
export const DemoAccount = { username: 'demo', password: 'demo' } as const;

export function demoConfig(manifest: DemoManifest, dir: string): CrossviewConfig {
  const parsed = parseConfig({
    sites: manifest.sites.map((site) => ({
      id: site.siteId,
      name: site.name,
      folder: { path: join(dir, site.folder) },
      patientIdIssuer: site.issuer,
    })),
    identity: { nationalIdIssuer: 'NHS' },
    auth: {
      mode: 'local',
      accounts: [{ username: DemoAccount.username, displayName: 'Demo clinician', passwordHash: hashPassword(DemoAccount.password), roles: ['clinician', 'admin'], sites: '*' }],
    },
  });
  if (!parsed.ok) throw new Error(`demoConfig: the demo manifest makes an invalid config: ${parsed.errors.join('; ')}`);
  return parsed.config;
}
