/**
 * 4. Scale: a PC with many volumes of six key protectors each.
 *
 * The issue asks for 64 volumes. Only 26 can carry a drive letter, and both the contract (MountPoint is
 * `^[A-Za-z]:$`, checked by main on every answer) and the simulated PC's scenario schema refuse anything
 * else, as Get-BkbVolumes on Windows leaves unlettered volumes out. So two cases, each labelled:
 * - 26 volumes (every letter), end to end through the real harness, handlers, session and simulated host
 *   (host start-up `startupMs`): the largest list the app can show today;
 * - 64 volumes (26 lettered + 38 `\\?\Volume{GUID}\` paths), fed to the built renderer by a stub bridge that
 *   answers at once in the page: the renderer's cost for 64 cards, without main, IPC or PowerShell. Its
 *   "launch → list" is therefore renderer load + render only.
 *
 * Per case: data arrival → list in the DOM (listVolumes' promise resolved in the page → the MutationObserver
 * saw every card), → first frame after that, launch → list, and Chromium's JSHeapUsedSize once the list is
 * shown (as left, and after a forced GC).
 */
import type { Browser, Page } from '@playwright/test';
import type { ChannelName, Result } from '../preload/contract';
import { check, type Scratch } from './common';
import { jsHeap, type HeapMetrics } from './browser';
import { figure, type Figure } from './figures';
import { listedAnswers, MAX_LETTERED_VOLUMES, scaleScenario } from './scale-scenario';
import { realLaunch, stubLaunch } from './time-to-list';

export interface ScaleOptions {
  browser: Browser;
  runs: number;
  startupMs: number;
  scratch: Scratch;
  log: (line: string) => void;
}

const SECTION = '4. Scale (6 key protectors per volume)';
const PROTECTORS = 6;
const BIG = 64;
const MB = 1024 * 1024;

interface Sample {
  renderMs: number;
  paintMs: number;
  launchMs: number;
  heap: HeapMetrics;
}

async function sample(launch: { t0: number; marks: { dataArrived: number; listShown: number; listPainted?: number }; page: Page; close: () => Promise<void> }): Promise<Sample> {
  try {
    const { t0, marks } = launch;
    check(marks.listPainted !== undefined, 'no frame after the list was shown');
    const heap = await jsHeap(launch.page);
    return { renderMs: marks.listShown - marks.dataArrived, paintMs: marks.listPainted - marks.dataArrived, launchMs: marks.listShown - t0, heap };
  } finally {
    await launch.close();
  }
}

/** Not timed: the first and the last drive of the list each have their card, found as a user's screen reader would. */
async function checkCards(page: Page, volumes: readonly { label: string | null; mountPoint: string }[]): Promise<void> {
  for (const v of [volumes[0], volumes[volumes.length - 1]]) {
    check(v, 'no volumes');
    const count = await page.getByRole('group', { name: `${v.label ?? ''} (${v.mountPoint})`, exact: true }).count();
    check(count === 1, `${count} cards for ${v.mountPoint}`);
  }
}

export async function measureScale(o: ScaleOptions): Promise<{ figures: Figure[]; details: unknown }> {
  const lettered = scaleScenario(MAX_LETTERED_VOLUMES, PROTECTORS);
  const letteredFile = o.scratch.writeJson('scale-26.json', { ...lettered, latencyMs: { startup: o.startupMs } });
  const letteredMountPoints = lettered.volumes.map((v) => v.mountPoint);

  const big = listedAnswers(scaleScenario(BIG, PROTECTORS));
  const bigResults: Partial<Record<ChannelName, Result<unknown>>> = {
    'environment:get': { ok: true, data: big.environment },
    'volumes:list': { ok: true, data: { volumes: big.volumes } },
  };
  const bigMountPoints = big.volumes.map((v) => v.mountPoint);

  // Warm-up (discarded), and a check that every card really is there.
  {
    const warm = await stubLaunch(o.browser, bigResults, bigMountPoints);
    try {
      await checkCards(warm.page, big.volumes);
    } finally {
      await warm.close();
    }
  }

  const real: Sample[] = [];
  const stub: Sample[] = [];
  for (let run = 1; run <= o.runs; run++) {
    const r = await sample(await realLaunch(o.browser, letteredFile, letteredMountPoints, o.scratch));
    const s = await sample(await stubLaunch(o.browser, bigResults, bigMountPoints));
    real.push(r);
    stub.push(s);
    o.log(
      `  run ${run}/${o.runs}: 26 real: render ${r.renderMs.toFixed(1)} ms, launch ${r.launchMs.toFixed(0)} ms, heap ${(r.heap.usedBytes / MB).toFixed(1)} MB; ` +
        `64 stub: render ${s.renderMs.toFixed(1)} ms, launch ${s.launchMs.toFixed(0)} ms, heap ${(s.heap.usedBytes / MB).toFixed(1)} MB`,
    );
  }

  const n = MAX_LETTERED_VOLUMES;
  const renderTarget = { kind: 'max', value: 50 } as const;
  const heapTarget = { kind: 'max', value: 20 } as const;
  const stubNote = '64 volumes cannot pass the contract (26 drive letters): renderer alone, stub bridge, no main/IPC/PowerShell.';
  const figures = [
    figure(SECTION, 'scale.real26.render', `${n} volumes, real: data arrival → list in DOM`, 'ms', real.map((x) => x.renderMs)),
    figure(SECTION, 'scale.real26.paint', `${n} volumes, real: data arrival → first frame`, 'ms', real.map((x) => x.paintMs)),
    figure(SECTION, 'scale.real26.launch', `${n} volumes, real: launch → list (start-up ${o.startupMs} ms)`, 'ms', real.map((x) => x.launchMs)),
    figure(SECTION, 'scale.real26.heap', `${n} volumes, real: JS heap after list`, 'MB', real.map((x) => x.heap.usedBytes / MB)),
    figure(SECTION, 'scale.stub64.render', `${BIG} volumes, stub: data arrival → list in DOM`, 'ms', stub.map((x) => x.renderMs), renderTarget, stubNote),
    figure(SECTION, 'scale.stub64.paint', `${BIG} volumes, stub: data arrival → first frame`, 'ms', stub.map((x) => x.paintMs), null, stubNote),
    figure(SECTION, 'scale.stub64.launch', `${BIG} volumes, stub: launch → list (renderer only)`, 'ms', stub.map((x) => x.launchMs), null, stubNote),
    figure(SECTION, 'scale.stub64.heap', `${BIG} volumes, stub: JS heap after list`, 'MB', stub.map((x) => x.heap.usedBytes / MB), heapTarget, stubNote),
    figure(SECTION, 'scale.stub64.heapAfterGc', `${BIG} volumes, stub: JS heap after list, after GC`, 'MB', stub.map((x) => x.heap.usedAfterGcBytes / MB), null, stubNote),
  ];
  return { figures, details: { protectorsPerVolume: PROTECTORS, real26: real, stub64: stub } };
}
