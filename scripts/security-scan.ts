/**
 * Runs Electronegativity with explicit settings over what ships: the main-process and preload source, and
 * the built renderer's index.html (its CSP). Any finding not explained in electronegativity.config.json
 * fails the run. Electronegativity itself always exits 0, so its SARIF report is what counts.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Accepted {
  rule: string;
  file: string;
  why: string;
}
interface Sarif {
  runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine?: number } } }[] }[] }[];
}

const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'bkb-electronegativity-'));
const tree = join(work, 'app');
// One tree, so the global checks (CSP, navigation limits, permission handler) see the whole app at once.
const notTests = (src: string) => !/\.test\.ts$/.test(src);
cpSync(join(root, 'main'), join(tree, 'main'), { recursive: true, filter: notTests });
cpSync(join(root, 'preload'), join(tree, 'preload'), { recursive: true, filter: notTests });
cpSync(join(root, 'out', 'renderer', 'index.html'), join(tree, 'renderer', 'index.html'));

const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
const report = join(work, 'findings.sarif');
execFileSync(
  process.execPath,
  [join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js'), '-i', tree, '-e', electronVersion, '-r', '-v', 'false', '-o', report],
  { stdio: ['ignore', 'ignore', 'ignore'], cwd: work },
);

const sarif = JSON.parse(readFileSync(report, 'utf8')) as Sarif;
const findings = sarif.runs.flatMap((run) =>
  run.results.map((r) => {
    const location = r.locations[0]?.physicalLocation;
    return { rule: r.ruleId, level: r.level, file: location?.artifactLocation.uri ?? '?', line: location?.region?.startLine ?? 0 };
  }),
);
const accepted = (JSON.parse(readFileSync(join(root, 'electronegativity.config.json'), 'utf8')) as { accepted: Accepted[] }).accepted;
const isAccepted = (f: (typeof findings)[number]) => accepted.some((a) => a.rule === f.rule && f.file === a.file);

for (const f of findings) console.log(`${isAccepted(f) ? 'accepted   ' : 'UNEXPLAINED'} ${f.rule} (${f.level}) ${f.file}:${f.line}`);
const unexplained = findings.filter((f) => !isAccepted(f));
console.log(`Electronegativity, Electron ${electronVersion}: ${findings.length} finding(s), ${unexplained.length} unexplained.`);
if (unexplained.length > 0) process.exit(1);
