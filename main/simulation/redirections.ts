/**
 * Resolve-BkbFinalPath on the simulated PC: where a file at a path really lands, so the location rules judge the
 * place, not the path text. A SUBST letter is replaced by its folder (`computer.substDrives`), a letter mapped to a
 * share of this PC by that share, this PC's administrative share X$ by drive X:, and the first junction, symbolic
 * link or mounted folder (`computer.links`) along the path's folder by where it leads; again, up to 32 times.
 * Null when that never settles (a loop of links). Host paths (off Windows) are not walked.
 */
import { sameName } from './names';
import { parentFolder } from './requests';
import type { ScenarioT } from './scenario';

const MAX_REDIRECTIONS = 32;
const withoutTrailingSeparators = (p: string) => p.replace(/\\+$/, '');

export function finalPath(requested: string, computer: ScenarioT['computer'], isThisPc: (host: string) => boolean): string | null {
  let current = requested;
  for (let hop = 0; hop < MAX_REDIRECTIONS; hop++) {
    const admin = /^[\\/]{2}([^\\/]+)[\\/]([A-Za-z])\$($|[\\/].*)$/s.exec(current);
    if (admin && isThisPc(admin[1]!)) {
      current = `${admin[2]}:${admin[3] || '\\'}`;
      continue;
    }
    const letter = /^([A-Za-z]):([\\/].*)$/s.exec(current);
    if (!letter) return current;
    const drive = `${letter[1]!.toUpperCase()}:`;
    const rest = letter[2]!.replace(/[\\/]+/g, '\\');
    current = `${letter[1]}:${rest}`;
    const subst = computer.substDrives.find((d) => sameName(d.driveLetter, drive));
    if (subst) {
      current = withoutTrailingSeparators(subst.target) + rest;
      continue;
    }
    const mapped = computer.networkShares.find((share) => share.driveLetter !== undefined && sameName(share.driveLetter, drive));
    const mappedHost = mapped === undefined ? null : /^\\\\([^\\]+)\\/.exec(mapped.unc);
    if (mapped && mappedHost && isThisPc(mappedHost[1]!)) {
      current = withoutTrailingSeparators(mapped.unc) + rest;
      continue;
    }
    const segments = parentFolder(current).slice(2).split('\\').filter(Boolean);
    let walked = drive;
    const link = segments
      .map((segment) => (walked = `${walked}\\${segment}`))
      .map((folder) => ({ folder, link: computer.links.find((l) => l.path.toLowerCase() === folder.toLowerCase()) }))
      .find((step) => step.link !== undefined);
    if (!link?.link) return current;
    current = withoutTrailingSeparators(link.link.target) + current.slice(link.folder.length);
  }
  return null;
}
