/** Copies the wizard screenshots the e2e suite took into docs/screenshots for the README. */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const from = join(__dirname, '..', 'e2e-output', 'screenshots');
const to = join(__dirname, '..', 'docs', 'screenshots');
mkdirSync(to, { recursive: true });
const shots = readdirSync(from).filter((name) => name.endsWith('.png'));
for (const name of shots) copyFileSync(join(from, name), join(to, name));
console.log(`Copied ${shots.length} screenshot(s) to docs/screenshots.`);
