import { getCurrentFuseWire, flipFuses } from '@electron/fuses';
import { FuseState } from '@electron/fuses/dist/constants';
import type { Configuration } from 'app-builder-lib';
import { getFileMatchers, type FileMatcher } from 'app-builder-lib/out/fileMatcher';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger, walk } from 'builder-util';
import { builtinModules } from 'node:module';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveRuntime } from '../main/runtime';
import { BUILDER_CONFIG_FILES, compareFuseWire, fuseConfigOf, loadBuilderConfig, PROJECT_DIR, signingFrom, signingOverrides } from '../scripts/builder-config';

/**
 * The packaging rules, checked here on every run without building (this machine cannot download Electron's
 * Windows zip; `npm run dist:win` runs in the Windows workflow): electron-builder.yml and electron-builder.e2e.yml
 * load and validate through electron-builder's own loader; the fuses are exactly these, and electron-builder
 * writes them so; what ships in app.asar and beside it is decided by electron-builder's own file matchers over the
 * built tree. Any drift fails here.
 */

/** The fuses of the release build: each one set, none left to Electron's default. */
const RELEASE_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  onlyLoadAppFromAsar: true,
  enableEmbeddedAsarIntegrityValidation: true,
  enableCookieEncryption: true,
  grantFileProtocolExtraPrivileges: false,
  loadBrowserProcessSpecificV8Snapshot: false,
};

let release: Configuration;
let e2e: Configuration;
beforeAll(async () => {
  release = await loadBuilderConfig(BUILDER_CONFIG_FILES.release);
  e2e = await loadBuilderConfig(BUILDER_CONFIG_FILES['e2e-test']);
});

describe('electron-builder’s own loader and validator', () => {
  it('load both configurations (the e2e one through `extends`) and find them valid', () => {
    expect(release.productName).toBe('BitLocker Key Backup');
    expect(e2e.productName).toBe('BitLocker Key Backup E2E Test');
    expect(e2e.files).toEqual(release.files);
  });

  it('really validate: a misspelt or unknown key is refused', async () => {
    await expect(validateConfiguration({ ...release, nsiss: { oneClick: true } } as Configuration, new DebugLogger(false))).rejects.toThrow(/nsiss/);
    await expect(validateConfiguration({ ...release, electronFuses: { ...RELEASE_FUSES, runAsNodes: false } } as Configuration, new DebugLogger(false))).rejects.toThrow(/configuration\.electronFuses/);
  });
});

/** A stand-in for electron.exe: some bytes, then Electron's fuse wire (version 1, 8 fuses) at Electron's defaults. */
function standInElectron(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bkb-fuses-'));
  const file = join(dir, 'BitLocker Key Backup.exe');
  const { ENABLE: on, DISABLE: off } = FuseState;
  const defaults = [on, off, on, on, off, off, off, on];
  writeFileSync(file, Buffer.concat([Buffer.from('MZ\x90\x00 stand-in '), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 8, ...defaults]), Buffer.from(' rest of the exe')]));
  return file;
}

describe('Electron fuses', () => {
  it('the release sets exactly these', () => {
    expect(release.electronFuses).toEqual(RELEASE_FUSES);
  });

  it('electron-builder writes them so: every fuse of an Electron binary reads back as set, none left at Electron’s default', async () => {
    const exe = standInElectron();
    await flipFuses(exe, await fuseConfigOf(release.electronFuses!));
    const rows = compareFuseWire(await fuseConfigOf(release.electronFuses!), (await getCurrentFuseWire(exe)) as unknown as Record<string, unknown>);
    expect(rows).toHaveLength(8);
    expect(rows.filter((row) => !row.ok)).toEqual([]);
    expect(Object.fromEntries(rows.map((row) => [row.name, row.actual]))).toEqual({
      RunAsNode: 'disabled',
      EnableCookieEncryption: 'enabled',
      EnableNodeOptionsEnvironmentVariable: 'disabled',
      EnableNodeCliInspectArguments: 'disabled',
      EnableEmbeddedAsarIntegrityValidation: 'enabled',
      OnlyLoadAppFromAsar: 'enabled',
      LoadBrowserProcessSpecificV8Snapshot: 'disabled',
      GrantFileProtocolExtraPrivileges: 'disabled',
    });
  });

  it('the read-back (scripts/check-fuses.ts) fails on an exe whose fuses were never flipped', async () => {
    const rows = compareFuseWire(await fuseConfigOf(release.electronFuses!), (await getCurrentFuseWire(standInElectron())) as unknown as Record<string, unknown>);
    expect(rows.filter((row) => !row.ok).map((row) => row.name)).toEqual([
      'RunAsNode',
      'EnableCookieEncryption',
      'EnableNodeOptionsEnvironmentVariable',
      'EnableNodeCliInspectArguments',
      'EnableEmbeddedAsarIntegrityValidation',
      'OnlyLoadAppFromAsar',
      'GrantFileProtocolExtraPrivileges',
    ]);
  });

  it('the e2e test build differs in one fuse only: --inspect is honoured so Playwright can attach', () => {
    expect(e2e.electronFuses).toEqual({ ...RELEASE_FUSES, enableNodeCliInspectArguments: true });
  });
});

/** The app's files as electron-builder would put them in app.asar: its own matchers and walk over the built tree. */
async function shippedAppFiles(config: Configuration): Promise<string[]> {
  // getMainFileMatchers is electron-builder's (internal) rule set for app.asar: the configured patterns plus its defaults.
  const { getMainFileMatchers } = (await import('app-builder-lib/out/fileMatcher')) as unknown as {
    getMainFileMatchers(appDir: string, destination: string, expand: (p: string) => string, options: object, packager: object, outDir: string, electronCompile: boolean): FileMatcher[];
  };
  const packager = {
    info: { projectDir: PROJECT_DIR, buildResourcesDir: config.directories!.buildResources!, config, isPrepackedAppAsar: false, debugLogger: new DebugLogger(false) },
  };
  const matchers = getMainFileMatchers(PROJECT_DIR, '/app', (p) => p, config.win ?? {}, packager, join(PROJECT_DIR, config.directories!.output!), false);
  const files: string[] = [];
  for (const matcher of matchers) {
    const filter = matcher.createFilter();
    const found = await walk(matcher.from, (file, stat) => filter(file, stat) && !relative(PROJECT_DIR, file).startsWith(`node_modules${sep}`));
    files.push(...found.map((file) => relative(PROJECT_DIR, file).split(sep).join('/')));
  }
  return files.sort();
}

/** Every file outside app.asar: extraResources and extraFiles, as electron-builder maps them. */
function extraMatchers(config: Configuration, name: 'extraResources' | 'extraFiles', destination: string): FileMatcher[] {
  return getFileMatchers(config, name, destination, { macroExpander: (p) => p, customBuildOptions: config.win ?? {}, globalOutDir: join(PROJECT_DIR, 'dist'), defaultSrc: PROJECT_DIR }) ?? [];
}

/** The source modules rolldown bundled into a built file: it marks each with a `// path/to/module.ts` line. */
const bundledModules = (file: string) => [...readFileSync(join(PROJECT_DIR, file), 'utf8').matchAll(/^\/\/ ((?:main|preload|renderer|tests|e2e|assets|bench|scripts)\/\S+)$/gm)].map((m) => m[1]!);

describe.each([
  ['release', () => release],
  ['e2e test build', () => e2e],
] as const)('what the %s ships', (_name, configOf) => {
  let files: string[];
  beforeAll(async () => {
    files = await shippedAppFiles(configOf());
  });

  it('app.asar: the built main (but not the simulated host), preload and renderer, and package.json; nothing else', () => {
    const allowed = [/^package\.json$/, /^out\/main\/index\.js$/, /^out\/main\/chunks\/[\w-]+\.js$/, /^out\/preload\/index\.js$/, /^out\/renderer\/index\.html$/, /^out\/renderer\/assets\/[\w.-]+\.(?:js|css|woff2?|svg|png)$/];
    expect(files.filter((file) => !allowed.some((pattern) => pattern.test(file)))).toEqual([]);
    for (const needed of ['package.json', 'out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html']) expect(files).toContain(needed);
    expect(files.some((file) => file.startsWith('out/renderer/assets/'))).toBe(true);
  });

  it('nothing of main/simulation, the scenarios, tests, e2e or the sources: no such file, and no such module bundled in', () => {
    expect(files.filter((file) => /simulat|scenario|^main\/|^tests\/|^e2e\/|^assets\/|^docs\/|^bench\/|\.ts$|\.map$/i.test(file))).toEqual([]);
    const js = files.filter((file) => file.endsWith('.js'));
    // The check below relies on rolldown's module comments: they must be there for it to mean anything.
    expect(bundledModules('out/main/index.js')).toContain('main/index.ts');
    const modules = js.flatMap(bundledModules);
    expect(modules.filter((module) => /^(?:main\/simulation\/|tests\/|e2e\/|assets\/|bench\/|scripts\/)/.test(module))).toEqual([]);
  });

  it('the PowerShell module goes beside app.asar, exactly where the packaged runtime looks for it; nothing else does', () => {
    const resources = join(tmpdir(), 'BitLocker Key Backup', 'resources');
    const matchers = extraMatchers(configOf(), 'extraResources', resources);
    expect(matchers.map((m) => [relative(PROJECT_DIR, m.from).split(sep).join('/'), relative(resources, m.to).split(sep).join('/')])).toEqual([
      ['main/powershell/BitLockerKeyBackup.psm1', 'main/powershell/BitLockerKeyBackup.psm1'],
    ]);
    expect(extraMatchers(configOf(), 'extraFiles', resources)).toEqual([]);
    const runtime = resolveRuntime({ platform: 'win32', argv: [], env: {}, appPath: '', resourcesPath: resources, nodePath: '', runAsNode: false, simStatePath: '', packaged: true, windowsFolder: 'C:\\Windows' });
    expect(relative(resources, runtime.modulePath).split(sep).join('/')).toBe('main/powershell/BitLockerKeyBackup.psm1');
    expect(configOf().asarUnpack ?? null).toBeNull();
  });

  it('needs no package at run time beyond the production dependencies, the only ones electron-builder packs', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };
    expect(files).toContain(pkg.main);
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['node-powershell', 'pino', 'rotating-file-stream', 'zod']);
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'electron']);
    const required = files
      .filter((file) => file.startsWith('out/main/') && file.endsWith('.js'))
      .flatMap((file) => [...readFileSync(join(PROJECT_DIR, file), 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)].map((m) => m[1]!))
      .map((name) => (name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!));
    expect(required.filter((name) => !builtins.has(name) && !(name in pkg.dependencies))).toEqual([]);
  });
});

describe('the installer and the portable exe', () => {
  it('NSIS installs per machine, elevated, with a Start-menu shortcut, and removes the app’s own folder on uninstall', () => {
    expect(release.win).toMatchObject({ requestedExecutionLevel: 'requireAdministrator', icon: 'assets/icon.ico', signExts: ['.psm1'] });
    expect(release.win?.target).toEqual([
      { target: 'nsis', arch: ['x64'] },
      { target: 'portable', arch: ['x64'] },
    ]);
    // The include registers the audit trail's event source on install and removes it on uninstall (Pester holds its name equal to the module's).
    expect(release.nsis).toMatchObject({ perMachine: true, oneClick: true, createStartMenuShortcut: true, deleteAppDataOnUninstall: true, include: 'assets/installer.nsh' });
    expect(release.portable).toMatchObject({ requestExecutionLevel: 'admin' });
    expect(release.appId).toBe('com.bitlocker-key-backup.app');
    expect(release.asar).toBe(true);
  });

  it('the icon is an ICO in assets/ with a 256-pixel image', () => {
    const ico = readFileSync(join(PROJECT_DIR, release.win!.icon!));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
    expect(sizes).toContain(256);
  });

  it('holds no signing material: signing comes from CI’s environment only, and a build without it says it is unsigned', () => {
    for (const config of [release, e2e]) {
      expect(JSON.stringify(config)).not.toMatch(/azureSignOptions|signtoolOptions|cscLink|certificate|password/i);
    }
    expect(signingFrom({}, 'release')).toBe('unsigned');
    expect(signingFrom({ WIN_CSC_LINK: 'c2lnbg==', WIN_CSC_KEY_PASSWORD: 'x' }, 'release')).toBe('pfx');
    const azure = { AZURE_TRUSTED_SIGNING_ENDPOINT: 'https://weu.codesigning.azure.net', AZURE_TRUSTED_SIGNING_ACCOUNT: 'a', AZURE_TRUSTED_SIGNING_PROFILE: 'p', AZURE_TRUSTED_SIGNING_PUBLISHER: 'CN=BitLocker Key Backup' };
    expect(signingFrom(azure, 'release')).toBe('azure');
    expect(signingFrom({ ...azure, WIN_CSC_LINK: 'x' }, 'e2e-test')).toBe('unsigned');
    expect(signingOverrides('unsigned', release, {})).toEqual({
      nsis: { artifactName: 'BitLocker-Key-Backup-Setup-${version}-${arch}-unsigned.${ext}' },
      portable: { artifactName: 'BitLocker-Key-Backup-${version}-portable-${arch}-unsigned.${ext}' },
    });
    expect(signingOverrides('azure', release, azure)).toEqual({
      win: { forceCodeSigning: true, azureSignOptions: { endpoint: azure.AZURE_TRUSTED_SIGNING_ENDPOINT, codeSigningAccountName: 'a', certificateProfileName: 'p', publisherName: 'CN=BitLocker Key Backup' } },
    });
    expect(signingOverrides('pfx', release, {})).toMatchObject({ win: { forceCodeSigning: true, signtoolOptions: { signingHashAlgorithms: ['sha256'] } } });
  });

  it('the e2e test build cannot pass for the release: its own id, name, output folder and DO-NOT-SHIP file names, and it says what it is', () => {
    expect(e2e.appId).not.toBe(release.appId);
    expect(e2e.directories?.output).toBe('dist/e2e-test');
    expect(e2e.extraMetadata).toEqual({ bkbBuildFlavour: 'e2e-test' });
    expect(release.extraMetadata ?? null).toBeNull();
    expect(e2e.nsis?.artifactName).toMatch(/E2E-TEST-DO-NOT-SHIP/);
    expect(e2e.portable?.artifactName).toMatch(/E2E-TEST-DO-NOT-SHIP/);
    expect(release.publish ?? null).toBeNull();
    expect(e2e.publish ?? null).toBeNull();
  });
});
