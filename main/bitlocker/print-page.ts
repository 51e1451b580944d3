import { bareIdentifier, KEY_TEXT } from './key-file';
import { assertValidRecoveryPassword } from './recovery-password';

export interface KeyPageInput {
  computerName: string;
  mountPoint: string;
  label: string | null;
  printedAt: Date;
  keys: { keyProtectorId: string; recoveryPassword: string }[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local date in ISO order plus local time: what the person holding the paper will recognise. */
function printedAtText(date: Date): string {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day}, ${pad(date.getHours())}:${pad(date.getMinutes())} local time`;
}

/** The key file's facts and sentences, in its order (bitlocker.md §3: print shows the same information). */
function keySection(keyProtectorId: string, recoveryPassword: string): string {
  assertValidRecoveryPassword(recoveryPassword);
  return `<section class="key">
<p>${escapeHtml(KEY_TEXT.verify)}</p>
<h2>${escapeHtml(KEY_TEXT.identifierLabel)}</h2>
<p class="identifier">${escapeHtml(bareIdentifier(keyProtectorId))}</p>
<p>${escapeHtml(KEY_TEXT.matches)}</p>
<h2>${escapeHtml(KEY_TEXT.keyLabel)}</h2>
<p class="password">${escapeHtml(recoveryPassword)}</p>
<p>${escapeHtml(KEY_TEXT.doesNotMatch)}<br>${escapeHtml(KEY_TEXT.help)}</p>
</section>`;
}

// Sizes in pt and a margin-only @page so both A4 and Letter fit; a 14pt key (55 characters) fits either width.
const STYLE = `@page { margin: 18mm; }
body { font-family: "Segoe UI", Arial, sans-serif; font-size: 11pt; color: #000; background: #fff; margin: 0; }
h1 { font-size: 20pt; margin: 0 0 8pt; }
h2 { font-size: 12pt; margin: 12pt 0 4pt; }
dl { display: grid; grid-template-columns: max-content auto; gap: 2pt 12pt; margin: 0 0 12pt; }
dt { font-weight: 600; }
dd { margin: 0; }
.key { break-inside: avoid; border-top: 1pt solid #000; padding-top: 8pt; margin-top: 12pt; }
.identifier { font-family: Consolas, "Courier New", monospace; font-size: 16pt; font-weight: 700; }
.password { font-family: Consolas, "Courier New", monospace; font-size: 14pt; font-weight: 700; letter-spacing: 0.5pt; }`;

/** A self-contained page for printing or Save as PDF: no scripts, no external resources, every value escaped. */
export function renderKeyPage(input: KeyPageInput): string {
  const drive = input.label ? `${input.mountPoint} (${input.label})` : input.mountPoint;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>BitLocker recovery key</title>
<style>
${STYLE}
</style>
</head>
<body>
<h1>BitLocker recovery key</h1>
<dl>
<dt>Computer</dt><dd>${escapeHtml(input.computerName)}</dd>
<dt>Drive</dt><dd>${escapeHtml(drive)}</dd>
<dt>Printed</dt><dd>${escapeHtml(printedAtText(input.printedAt))}</dd>
</dl>
${input.keys.map((key) => keySection(key.keyProtectorId, key.recoveryPassword)).join('\n')}
</body>
</html>
`;
}
