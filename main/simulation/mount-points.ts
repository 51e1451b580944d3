/**
 * Where a simulated volume is mounted. Windows gives every volume a GUID path (`\\?\Volume{GUID}\`) and most of
 * them a drive letter too; a scenario names a volume by its letter, or by its GUID path when it has none (a
 * volume mounted into a folder, or not mounted at all). The module lists and serves lettered volumes only.
 */
import { z } from 'zod';

const LETTER = /^[A-Za-z]:$/;
const GUID_PATH = /^\\\\\?\\Volume\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}\\$/;

export const ScenarioMountPoint = z
  .string()
  .refine((s) => LETTER.test(s) || GUID_PATH.test(s), 'a drive letter such as C:, or a volume GUID path such as \\\\?\\Volume{GUID}\\ for a volume without one');

export const hasDriveLetter = (mountPoint: string): boolean => LETTER.test(mountPoint);
