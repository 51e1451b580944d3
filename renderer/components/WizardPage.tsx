import { Body1, makeStyles, Title3, tokens, useId } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { displayFontFamily } from '../theme';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL },
  headerText: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  icon: { fontSize: '40px', display: 'flex', flex: 'none' },
  title: { fontFamily: displayFontFamily },
  intro: { color: tokens.colorNeutralForeground2 },
  // Windows' wizard footer: a rule, the way back on the left, the way forward and Cancel on the right.
  footer: {
    display: 'flex',
    flexWrap: 'wrap',
    justifyContent: 'space-between',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    paddingTop: tokens.spacingVerticalL,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  footerGroup: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

interface WizardPageProps {
  title: string;
  intro?: string;
  /** Shown before the title (the result's success or failure mark); decorative. */
  icon?: ReactNode;
  children: ReactNode;
  /** Left of the footer: Back, or "Back up another way". */
  start?: ReactNode;
  /** Right of the footer: the primary action first, then Cancel. */
  end: ReactNode;
}

/** One step of the wizard: its heading, its content, and the footer buttons where Windows puts them. */
export function WizardPage({ title, intro, icon, children, start, end }: WizardPageProps) {
  const styles = useStyles();
  const titleId = useId('step-title-');
  return (
    <section className={styles.page} aria-labelledby={titleId}>
      <header className={styles.header}>
        {icon !== undefined && (
          <span className={styles.icon} aria-hidden>
            {icon}
          </span>
        )}
        <div className={styles.headerText}>
          <Title3 as="h1" id={titleId} className={styles.title}>
            {title}
          </Title3>
          {intro !== undefined && <Body1 className={styles.intro}>{intro}</Body1>}
        </div>
      </header>
      {children}
      <footer className={styles.footer}>
        <div className={styles.footerGroup}>{start}</div>
        <div className={styles.footerGroup}>{end}</div>
      </footer>
    </section>
  );
}
