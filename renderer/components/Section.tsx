import { Card, makeStyles, Subtitle2, tokens, useId } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}` },
});

/** A titled group of settings, as Windows 11 Settings shows them: a heading over a card (the section carries the name, not the card). */
export function Section({ title, children }: { title: string; children: (headingId: string) => ReactNode }) {
  const styles = useStyles();
  const headingId = useId('section-');
  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Subtitle2 as="h2" id={headingId}>
        {title}
      </Subtitle2>
      <Card className={styles.card} role="none">{children(headingId)}</Card>
    </section>
  );
}
