/**
 * How a report leaves the process: pretty JSON (the contract's CliReport), or with --intune a short text that fits
 * the 2,048 characters Intune keeps of a script's output. Without --reveal no output may hold a recovery
 * password, whatever a message picked up on its way: the text is redacted once more as it leaves.
 */
import type { CliReportT } from '../../preload/contract';
import { writeFileAtomically } from '../bitlocker/atomic-write';
import { redact } from '../security/redact';

/** Intune Remediations keep at most this much of a detection or remediation script's output. */
export const INTUNE_OUTPUT_LIMIT = 2_048;

function intuneText(report: CliReportT): string {
  const keys = (report.status?.drives ?? []).flatMap((d) =>
    d.keys.map((k) => `${d.mountPoint} ${k.keyProtectorId.slice(1, 9)} ${report.status?.directory ? (k.inDirectory ? 'in-directory' : 'NOT-in-directory') : k.summary}`),
  );
  const text = [`exit ${report.exitCode}: ${report.summary}`, ...keys].join('\n');
  if (text.length <= INTUNE_OUTPUT_LIMIT) return text;
  const cut = '\n… (cut to fit Intune; use --json-out for the whole report)';
  return text.slice(0, INTUNE_OUTPUT_LIMIT - cut.length) + cut;
}

export function renderReport(report: CliReportT, intune: boolean): string {
  const text = intune ? intuneText(report) : JSON.stringify(report, null, 2);
  return report.revealed === null ? redact(text) : text;
}

/** The report file, written whole or not at all (a script must never read half a report), replacing the last run's. */
export async function writeJsonOut(path: string, text: string): Promise<void> {
  const bytes = Buffer.from(`${text}\n`, 'utf8');
  await writeFileAtomically(path, bytes, { replace: true, verify: (readBack) => readBack.equals(bytes) });
}
