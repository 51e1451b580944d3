import { Body1, Caption1, makeStyles, mergeClasses, Spinner, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  busy: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

interface BusyProps {
  /** What is under way; the spinner beside it is decoration. */
  text: string;
  /** A caption-sized line, for work in the background while the page can be read. */
  small?: boolean;
  className?: string;
  role?: 'status';
}

/** A spinner and what is under way, on one line. */
export function Busy({ text, small = false, className, role }: BusyProps) {
  const styles = useStyles();
  return (
    <div className={mergeClasses(styles.busy, className)} role={role}>
      <Spinner size={small ? 'extra-tiny' : 'tiny'} aria-hidden />
      {small ? <Caption1>{text}</Caption1> : <Body1>{text}</Body1>}
    </div>
  );
}
