import { makeStyles, mergeClasses, Text } from '@fluentui/react-components';
import { useEffect, useRef, type ReactNode } from 'react';
import { displayFontFamily } from '../theme';

const useStyles = makeStyles({
  title: { fontFamily: displayFontFamily },
  // Focused only to start a screen reader there; it is not a control, so it draws no focus ring.
  focusTarget: { ':focus': { outlineStyle: 'none' } },
});

/**
 * A page's h1. It takes focus when the page appears (every step change mounts a new page), so a screen reader
 * reads the new step from its title and the next Tab starts at the top of the step; tabIndex -1 lets it take
 * focus without adding a Tab stop.
 */
export function StepHeading({ id, className, children }: { id?: string; className?: string; children: ReactNode }) {
  const styles = useStyles();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    // Title3's look (size 600, semibold), through Text so the heading can take a ref.
    <Text as="h1" size={600} weight="semibold" block id={id} ref={ref} tabIndex={-1} className={mergeClasses(styles.title, styles.focusTarget, className)}>
      {children}
    </Text>
  );
}
