/**
 * Runs Electronegativity with explicit settings over what ships: the main-process and preload source, and
 * the built renderer's index.html (its CSP). Any finding not explained in electronegativity.config.json
 * fails the run. Electronegativity itself always exits 0, so its SARIF report is what counts.
 *
 * An acceptance is narrow: the rule, the file and the level must match, and for the CSP check the policy's own
 * weaknesses must be exactly the accepted ones. Electronegativity's CSP_GLOBAL_CHECK says only "weak" or "maybe
 * weak", so this script asks the same evaluator it uses (@doyensec/csp-evaluator) what it found in the built
 * index.html's policy and in the header policy (main/security/csp.ts, which Electronegativity cannot see), and
 * fails on any finding not listed, e.g. an `https:` added to script-src.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../main/security/csp';

interface AcceptedCspFinding {
  directive: string;
  value: string;
  why: string;
}
interface Accepted {
  rule: string;
  file: string;
  /** SARIF level: "note" (review) or "warning" (a definite weakness). */
  level: string;
  /** CSP_GLOBAL_CHECK only: every finding the CSP evaluator may report; anything else is unexplained. */
  cspFindings?: AcceptedCspFinding[];
  why: string;
}
interface CspFinding {
  directive: string;
  value?: string;
  description: string;
  severity: number;
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

// The CSP evaluator Electronegativity itself runs (its own dependency, so the same version).
const cspEvaluator = createRequire(require.resolve('@doyensec/electronegativity/package.json'))('@doyensec/csp-evaluator') as {
  CspParser: new (policy: string) => { csp: unknown };
  CspEvaluator: new (csp: unknown, version: unknown) => { evaluate(): CspFinding[] };
  Version: { CSP3: unknown };
};
const evaluateCsp = (policy: string): CspFinding[] => new cspEvaluator.CspEvaluator(new cspEvaluator.CspParser(policy).csp, cspEvaluator.Version.CSP3).evaluate();
const decode = (text: string) => text.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const metaCsp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(readFileSync(join(tree, 'renderer', 'index.html'), 'utf8'))?.[1];
const policies = [
  { where: 'renderer/index.html (meta)', policy: metaCsp === undefined ? null : decode(metaCsp) },
  { where: 'main/security/csp.ts (header)', policy: CONTENT_SECURITY_POLICY },
];
const cspAcceptance = accepted.find((a) => a.rule === 'CSP_GLOBAL_CHECK');
const isAcceptedCsp = (f: CspFinding) => (cspAcceptance?.cspFindings ?? []).some((a) => a.directive === f.directive && a.value === (f.value ?? ''));
const cspFindings = policies.flatMap(({ where, policy }) =>
  policy === null
    ? [{ where, directive: '(none)', value: '', description: 'no Content-Security-Policy found', severity: 0, accepted: false }]
    : evaluateCsp(policy).map((f) => ({ where, ...f, value: f.value ?? '', accepted: isAcceptedCsp(f) })),
);
const cspExplained = cspFindings.every((f) => f.accepted);

const isAccepted = (f: (typeof findings)[number]) =>
  accepted.some((a) => a.rule === f.rule && f.file === a.file && f.level === a.level && (a.rule !== 'CSP_GLOBAL_CHECK' || cspExplained));

for (const f of findings) console.log(`${isAccepted(f) ? 'accepted   ' : 'UNEXPLAINED'} ${f.rule} (${f.level}) ${f.file}:${f.line}`);
for (const f of cspFindings) console.log(`  ${f.accepted ? 'accepted   ' : 'UNEXPLAINED'} CSP ${f.where}: ${f.directive} ${f.value} (${f.description})`);
const unexplained = [...findings.filter((f) => !isAccepted(f)), ...cspFindings.filter((f) => !f.accepted)];
console.log(`Electronegativity, Electron ${electronVersion}: ${findings.length} finding(s), ${cspFindings.length} CSP evaluator finding(s), ${unexplained.length} unexplained.`);
if (unexplained.length > 0) process.exit(1);
