/**
 * electron-builder's configuration as electron-builder itself reads it: electron-builder.yml for the release,
 * electron-builder.e2e.yml (which extends it) for the never-published end-to-end test build; the fuses as
 * electron-builder writes them; and how a build is signed. Shared by `npm run dist:win` (scripts/dist-win.ts), the
 * fuse read-back (scripts/check-fuses.ts) and tests/packaging.test.ts.
 */
import type { Configuration, FuseOptionsV1, PlatformPackager } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { FuseV1Options, type FuseConfig } from '@electron/fuses';
import { FuseState } from '@electron/fuses/dist/constants';
import { resolve } from 'node:path';
import type { BuildFlavour } from '../main/packaged';

export const PROJECT_DIR = resolve(__dirname, '..');

export const BUILDER_CONFIG_FILES: Record<BuildFlavour, string> = {
  release: 'electron-builder.yml',
  'e2e-test': 'electron-builder.e2e.yml',
};

/** Loads a configuration file (and what it extends) and validates it against electron-builder's schema, without building. */
export async function loadBuilderConfig(file: string): Promise<Configuration> {
  const config = await getConfig(PROJECT_DIR, file, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

/** What electron-builder hands @electron/fuses for these settings (its own translation, PlatformPackager.generateFuseConfig). */
export async function fuseConfigOf(fuses: FuseOptionsV1): Promise<FuseConfig> {
  const { PlatformPackager: Packager } = await import('app-builder-lib');
  const generate = (Packager.prototype as unknown as { generateFuseConfig(this: PlatformPackager<never>, f: FuseOptionsV1): Promise<FuseConfig> }).generateFuseConfig;
  return generate.call(null as never, fuses);
}

/** Each fuse's name, and whether the wire read from an exe has it as configured. Unknown fuses (newer Electron) are listed too. */
export function compareFuseWire(expected: FuseConfig, actual: Record<string, unknown>): { name: string; expected: string; actual: string; ok: boolean }[] {
  const stateName = (state: unknown) =>
    state === FuseState.ENABLE ? 'enabled' : state === FuseState.DISABLE ? 'disabled' : state === FuseState.REMOVED ? 'removed' : state === undefined ? 'absent' : `state ${String(state)}`;
  const indices = Object.keys(actual).filter((key) => /^\d+$/.test(key)).map(Number).sort((a, b) => a - b);
  return indices.map((index) => {
    const wanted = (expected as unknown as Record<number, boolean | undefined>)[index];
    const name = FuseV1Options[index] ?? `fuse ${index}`;
    const want = wanted === undefined ? 'not set by the configuration' : wanted ? 'enabled' : 'disabled';
    return { name, expected: want, actual: stateName(actual[index]), ok: wanted !== undefined && want === stateName(actual[index]) };
  });
}

export type SigningKind = 'azure' | 'pfx' | 'unsigned';

/** How this build is signed, from the environment; the test build never is. */
export function signingFrom(env: NodeJS.ProcessEnv, flavour: BuildFlavour): SigningKind {
  if (flavour === 'e2e-test') return 'unsigned';
  const azure = ['AZURE_TRUSTED_SIGNING_ENDPOINT', 'AZURE_TRUSTED_SIGNING_ACCOUNT', 'AZURE_TRUSTED_SIGNING_PROFILE', 'AZURE_TRUSTED_SIGNING_PUBLISHER'];
  if (azure.every((name) => env[name])) return 'azure';
  if (env.WIN_CSC_LINK || env.CSC_LINK) return 'pfx';
  return 'unsigned';
}

/** `name.${ext}` → `name-unsigned.${ext}`. */
const unsignedName = (artifactName: string | null | undefined) => artifactName?.replace(/\.\$\{ext\}$/, '-unsigned.${ext}');

export function signingOverrides(kind: SigningKind, config: Configuration, env: NodeJS.ProcessEnv): Configuration {
  if (kind === 'azure') {
    return {
      win: {
        forceCodeSigning: true,
        azureSignOptions: {
          endpoint: env.AZURE_TRUSTED_SIGNING_ENDPOINT!,
          codeSigningAccountName: env.AZURE_TRUSTED_SIGNING_ACCOUNT!,
          certificateProfileName: env.AZURE_TRUSTED_SIGNING_PROFILE!,
          publisherName: env.AZURE_TRUSTED_SIGNING_PUBLISHER!,
        },
      },
    };
  }
  // One SHA-256 signature: a PowerShell module cannot carry a second, appended one.
  if (kind === 'pfx') return { win: { forceCodeSigning: true, signtoolOptions: { signingHashAlgorithms: ['sha256'], rfc3161TimeStampServer: 'http://timestamp.digicert.com' } } };
  return { nsis: { artifactName: unsignedName(config.nsis?.artifactName) }, portable: { artifactName: unsignedName(config.portable?.artifactName) } };
}
