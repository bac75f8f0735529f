/** The embedded demo's config: one folder-backed site per demo hospital. */
import { join } from 'node:path';
import { parseConfig, type CrossviewConfig } from '../contracts/index';
import type { DemoManifest } from '../demo/index';

export function demoConfig(manifest: DemoManifest, dir: string): CrossviewConfig {
  const parsed = parseConfig({
    sites: manifest.sites.map((site) => ({
      id: site.siteId,
      name: site.name,
      folder: { path: join(dir, site.folder) },
      patientIdIssuer: site.issuer,
    })),
    identity: { nationalIdIssuer: 'NHS' },
  });
  if (!parsed.ok) throw new Error(`demoConfig: the demo manifest makes an invalid config: ${parsed.errors.join('; ')}`);
  return parsed.config;
}
