import { makeStyles, mergeClasses } from '@fluentui/react-components';
import type { VolumeT } from '../../preload/contract';
import { driveLabel } from '../volume-status';

const useStyles = makeStyles({
  // The user's own words (drive labels, a tenant's name): never interpreted, isolated so a right-to-left mark or
  // a newline inside cannot move or break what follows, one line cut with an ellipsis wherever they appear; the
  // title attribute carries the whole text.
  clamp: {
    display: 'inline-block',
    maxWidth: 'min(24em, 100%)',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    verticalAlign: 'bottom',
    unicodeBidi: 'isolate',
  },
  // Several lines at most, for a sentence that carries a label.
  lines: {
    display: '-webkit-box',
    WebkitBoxOrient: 'vertical',
    WebkitLineClamp: 3,
    overflow: 'hidden',
    overflowWrap: 'anywhere',
    unicodeBidi: 'isolate',
  },
});

/**
 * One line of the user's own text, cut with an ellipsis when long. `wrap` puts punctuation around it inside the
 * cut ("(Contoso)"), so nothing comes between the text and its punctuation in the accessible name.
 */
export function Clamped({ text, wrap, className }: { text: string; wrap?: [string, string]; className?: string }) {
  const styles = useStyles();
  return (
    <span className={mergeClasses(styles.clamp, className)} title={text} dir="auto">
      {wrap === undefined ? text : `${wrap[0]}${text}${wrap[1]}`}
    </span>
  );
}

/** A sentence that carries the user's text, cut after three lines. */
export function ClampedLines({ text, className }: { text: string; className?: string }) {
  const styles = useStyles();
  return (
    <span className={mergeClasses(styles.lines, className)} title={text}>
      {text}
    </span>
  );
}

/** A drive as the list names it, "Windows (C:)", its label clamped; just the letter for a drive the list doesn't know. */
export function DriveName({ mountPoint, volumes }: { mountPoint: string; volumes: readonly VolumeT[] | null }) {
  const volume = volumes?.find((v) => v.mountPoint === mountPoint);
  if (volume === undefined) return <>{mountPoint}</>;
  return (
    <>
      <Clamped text={driveLabel(volume)} /> ({mountPoint})
    </>
  );
}
