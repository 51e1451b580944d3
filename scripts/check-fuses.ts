/**
 * Reads the fuses back from a built exe and fails unless every fuse is exactly as electron-builder.yml sets it
 * (electron-builder.e2e.yml with --e2e-test). The Windows workflow runs it on the installed app:
 *   npx tsx scripts/check-fuses.ts "C:\Program Files\BitLocker Key Backup\BitLocker Key Backup.exe"
 */
import { getCurrentFuseWire } from '@electron/fuses';
import { BUILDER_CONFIG_FILES, compareFuseWire, fuseConfigOf, loadBuilderConfig } from './builder-config';

async function main(): Promise<number> {
  const exe = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
  if (!exe) {
    console.error('usage: tsx scripts/check-fuses.ts <path to the app exe> [--e2e-test]');
    return 2;
  }
  const file = BUILDER_CONFIG_FILES[process.argv.includes('--e2e-test') ? 'e2e-test' : 'release'];
  const config = await loadBuilderConfig(file);
  if (!config.electronFuses) throw new Error(`${file} sets no electronFuses`);
  const rows = compareFuseWire(await fuseConfigOf(config.electronFuses), (await getCurrentFuseWire(exe)) as unknown as Record<string, unknown>);
  for (const row of rows) console.log(`${row.ok ? 'ok  ' : 'FAIL'} ${row.name}: ${row.actual} (${file}: ${row.expected})`);
  const failed = rows.filter((row) => !row.ok);
  console.log(failed.length === 0 ? `All ${rows.length} fuses of ${exe} are as ${file} sets them.` : `${failed.length} fuse(s) differ from ${file}.`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
