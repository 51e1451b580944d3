import { Body1, makeStyles, tokens, useId } from '@fluentui/react-components';
import { useEffect, type ReactNode } from 'react';
import { StepHeading } from './StepHeading';

const useStyles = makeStyles({
  // Grows to the window's height, so the footer sits at the bottom of the window even on a short step.
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL, flexGrow: 1 },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL },
  headerText: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  icon: { fontSize: '40px', display: 'flex', flex: 'none' },
  intro: { color: tokens.colorNeutralForeground2 },
  // Windows' wizard footer: a rule, the way back on the left, the way forward and Cancel on the right. It stays
  // at the bottom of the window while the step scrolls behind it, as in Windows' own dialogs.
  footer: {
    position: 'sticky',
    bottom: 0,
    zIndex: 1,
    marginTop: 'auto',
    display: 'flex',
    flexWrap: 'wrap',
    justifyContent: 'space-between',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    paddingTop: tokens.spacingVerticalL,
    paddingBottom: tokens.spacingVerticalL,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    // The window's own background (main.tsx sets it per theme), so scrolled content never shows through.
    backgroundColor: 'var(--bkbWindowBackground, transparent)',
  },
  footerGroup: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

interface WizardPageProps {
  /** Plain text, or text with the user's own words (a drive label) clamped inside it. */
  title: ReactNode;
  intro?: string;
  /** Shown before the title (the result's success or failure mark); decorative. */
  icon?: ReactNode;
  children: ReactNode;
  /** Left of the footer: Back, or "Back up another way". */
  start?: ReactNode;
  /** Right of the footer: the primary action first, then Cancel. */
  end: ReactNode;
  /** Escape does this (Cancel), as in Windows' dialogs; leave it out while nothing may be cancelled. */
  onEscape?: () => void;
}

/** One step of the wizard: its heading (focused when the step appears), its content, and the footer buttons where Windows puts them. */
export function WizardPage({ title, intro, icon, children, start, end, onEscape }: WizardPageProps) {
  const styles = useStyles();
  const titleId = useId('step-title-');

  useEffect(() => {
    if (onEscape === undefined) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || event.isComposing) return;
      event.preventDefault();
      onEscape();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [onEscape]);

  return (
    <section className={styles.page} aria-labelledby={titleId}>
      <header className={styles.header}>
        {icon !== undefined && (
          <span className={styles.icon} aria-hidden>
            {icon}
          </span>
        )}
        <div className={styles.headerText}>
          <StepHeading id={titleId}>{title}</StepHeading>
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
