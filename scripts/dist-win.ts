/**
 * `npm run dist:win`: the Windows installer (NSIS, per machine) and the portable exe from electron-builder.yml.
 *   --e2e-test  the end-to-end test build instead (electron-builder.e2e.yml; never signed, never published)
 *   --dir       the unpacked app only (dist/win-unpacked), no installer
 *
 * Signing comes from the environment, i.e. from CI's secrets, and is never in the repository:
 * - Azure Trusted Signing: AZURE_TRUSTED_SIGNING_ENDPOINT, _ACCOUNT, _PROFILE, _PUBLISHER (+ AZURE_TENANT_ID,
 *   AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, read by the signing module itself);
 * - or a PFX: WIN_CSC_LINK (path or base64) and WIN_CSC_KEY_PASSWORD, read by electron-builder itself.
 * With either, every exe and the PowerShell module are signed and an unsigned file fails the build
 * (forceCodeSigning). With neither, the build works, says UNSIGNED, and its file names end in -unsigned.
 *
 * Needs Electron's Windows zip: run it on Windows or in CI (this project's Linux machines cannot download it).
 */
import { Arch, build, Platform } from 'electron-builder';
import type { BuildFlavour } from '../main/packaged';
import { BUILDER_CONFIG_FILES, loadBuilderConfig, signingFrom, signingOverrides } from './builder-config';

async function main(): Promise<void> {
  const flavour: BuildFlavour = process.argv.includes('--e2e-test') ? 'e2e-test' : 'release';
  const file = BUILDER_CONFIG_FILES[flavour];
  const config = await loadBuilderConfig(file);
  const kind = signingFrom(process.env, flavour);
  if (kind === 'unsigned') {
    console.warn(
      [
        '',
        '  ******************************************************************************',
        `  UNSIGNED build (${flavour}): no signing secrets in this environment.`,
        '  Windows SmartScreen will warn about it, and PCs whose policy is AllSigned will not',
        '  import its PowerShell module. Its file names end in -unsigned. Do not publish it.',
        '  ******************************************************************************',
        '',
      ].join('\n'),
    );
  } else {
    console.log(`Signing with ${kind === 'azure' ? 'Azure Trusted Signing' : 'the PFX in WIN_CSC_LINK'}: the exes and BitLockerKeyBackup.psm1.`);
  }
  const targets = process.argv.includes('--dir') ? ['dir'] : ['nsis', 'portable'];
  const artifacts = await build({
    targets: Platform.WINDOWS.createTarget(targets, Arch.x64),
    config: { extends: file, ...signingOverrides(kind, config, process.env) },
    publish: 'never',
  });
  console.log(['Built:', ...artifacts.map((artifact) => `  ${artifact}`)].join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
