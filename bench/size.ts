/**
 * 3. Size of what ships: the renderer's JS and CSS (and index.html) gzip-compressed at level 9 as a stand-in
 * for what a download or an installer's compression would see; preload and main raw and gzipped.
 * Main is out/main/index.js plus the chunks it loads; the simulated host (out/main/simulated-host.js) is
 * listed apart: it ships only for the simulated PC. npm packages main requires at run time (node-powershell,
 * zod) are not in these figures. kB = 1000 bytes, as Vite prints them.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from './common';
import { figure, type Figure } from './figures';

const SECTION = '3. Size';
const OUT = join(REPO_ROOT, 'out');
const kB = (bytes: number) => bytes / 1000;

interface Sizes {
  files: string[];
  raw: number;
  gzip: number;
}

function sizes(files: string[]): Sizes {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const content = readFileSync(file);
    raw += content.length;
    gzip += gzipSync(content, { level: 9 }).length;
  }
  return { files: files.map((f) => f.slice(OUT.length + 1)), raw, gzip };
}

function filesIn(dir: string, extension: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(extension))
    .sort()
    .map((name) => join(dir, name));
}

export function measureSize(): { figures: Figure[]; details: unknown } {
  const assets = join(OUT, 'renderer', 'assets');
  const js = sizes(filesIn(assets, '.js'));
  const css = sizes(filesIn(assets, '.css'));
  const html = sizes([join(OUT, 'renderer', 'index.html')]);
  const preload = sizes([join(OUT, 'preload', 'index.js')]);
  const main = sizes([join(OUT, 'main', 'index.js'), ...filesIn(join(OUT, 'main', 'chunks'), '.js')]);
  const host = sizes([join(OUT, 'main', 'simulated-host.js')]);
  const rendererGzip = js.gzip + css.gzip + html.gzip;

  const one = (id: string, label: string, bytes: number, target: { kind: 'max'; value: number } | null = null, note?: string) =>
    figure(SECTION, id, label, 'kB', [kB(bytes)], target, note);
  const figures = [
    one('size.renderer.gzip', 'Renderer total (JS + CSS + HTML), gzip', rendererGzip, { kind: 'max', value: 200 }),
    one('size.renderer.js.gzip', `Renderer JS, gzip (raw ${kB(js.raw).toFixed(1)} kB)`, js.gzip),
    one(
      'size.renderer.css.gzip',
      `Renderer CSS, gzip (raw ${kB(css.raw).toFixed(1)} kB)`,
      css.gzip,
      null,
      css.files.length === 0 ? 'No CSS file: Fluent UI (Griffel) inserts its styles from the JS bundle at run time.' : undefined,
    ),
    one('size.preload.raw', 'Preload bundle, raw', preload.raw),
    one('size.preload.gzip', 'Preload bundle, gzip', preload.gzip),
    one('size.main.raw', 'Main bundle (index + chunks), raw', main.raw),
    one('size.main.gzip', 'Main bundle (index + chunks), gzip', main.gzip),
    one('size.host.raw', 'Simulated host (simulation only), raw', host.raw),
  ];
  return { figures, details: { js, css, html, preload, main, simulatedHost: host } };
}
