/**
 * Where a path lies on the simulated PC, as Get-BkbPathInfo finds it (Get-Volume -FilePath of the path's folder).
 * The Save dialog returns host paths, and each volume's `root` (or network share's) folder stands for a drive:
 * the deepest root holding the folder wins. A Windows path (`F:\Keys\key.txt`) lies on the volume with that letter.
 */
import path from 'node:path';
import { parentFolder } from './requests';
import type { ScenarioT, ScenarioVolumeT } from './scenario';

type ShareT = ScenarioT['computer']['networkShares'][number];
export type PathPlace = { kind: 'volume'; volume: ScenarioVolumeT } | { kind: 'network'; share: ShareT } | { kind: 'elsewhere' };

/** Host file systems compare names as Windows does only on Windows. */
const comparable = (p: string): string => (process.platform === 'win32' ? p.toLowerCase() : p);

function contains(root: string, target: string): boolean {
  const [r, t] = [comparable(root), comparable(target)];
  return t === r || t.startsWith(r.endsWith(path.sep) ? r : r + path.sep);
}

/** The place of an absolute host file path: the volume or share whose root holds its folder, or elsewhere. */
export function placeOf(hostPath: string, volumes: ScenarioVolumeT[], shares: ScenarioT['computer']['networkShares']): PathPlace {
  const folder = parentFolder(hostPath);
  const candidates: { root: string; place: PathPlace }[] = [
    ...volumes.flatMap((volume) => (volume.root === undefined ? [] : [{ root: volume.root, place: { kind: 'volume' as const, volume } }])),
    ...shares.map((share) => ({ root: share.root, place: { kind: 'network' as const, share } })),
  ];
  const deepest = candidates.filter((c) => contains(c.root, folder)).sort((a, b) => b.root.length - a.root.length)[0];
  return deepest?.place ?? { kind: 'elsewhere' };
}
