/**
 * Where a host path lies on the simulated PC: the Save dialog returns host paths, and each volume's `root`
 * (or network share's) folder stands for a drive. The deepest root containing the path wins.
 */
import path from 'node:path';
import type { ScenarioT, ScenarioVolumeT } from './scenario';

export type PathPlace = { kind: 'volume'; volume: ScenarioVolumeT } | { kind: 'network' } | { kind: 'elsewhere' };

/** Host file systems compare names as Windows does only on Windows. */
const comparable = (p: string): string => (process.platform === 'win32' ? p.toLowerCase() : p);

function contains(root: string, target: string): boolean {
  const [r, t] = [comparable(root), comparable(target)];
  return t === r || t.startsWith(r.endsWith(path.sep) ? r : r + path.sep);
}

/** Null when the path is relative or has `..` segments: the app must send the dialog's absolute path as is. */
export function placeOf(hostPath: string, volumes: ScenarioVolumeT[], shares: ScenarioT['computer']['networkShares']): PathPlace | null {
  if (!path.isAbsolute(hostPath) || hostPath.split(/[\\/]/).includes('..')) return null;
  const target = path.resolve(hostPath);
  const candidates: { root: string; place: PathPlace }[] = [
    ...volumes.flatMap((volume) => (volume.root === undefined ? [] : [{ root: volume.root, place: { kind: 'volume' as const, volume } }])),
    ...shares.map((share) => ({ root: share.root, place: { kind: 'network' as const } })),
  ];
  const deepest = candidates.filter((c) => contains(c.root, target)).sort((a, b) => b.root.length - a.root.length)[0];
  return deepest?.place ?? { kind: 'elsewhere' };
}
