import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { StepHeading } from './StepHeading';

const useStyles = makeStyles({
  page: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalL,
    maxWidth: '600px',
    margin: '0 auto',
    paddingTop: tokens.spacingVerticalXXXL,
    paddingBottom: tokens.spacingVerticalXXXL,
  },
  icon: { fontSize: '48px', color: tokens.colorBrandForeground1, display: 'flex' },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, color: tokens.colorNeutralForeground2 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, paddingTop: tokens.spacingVerticalM },
});

interface StatusPageProps {
  icon: ReactNode;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  /** The icon's colour, when it says something (an error is red). */
  iconClassName?: string;
  /** Given to the title, for content that names itself by it. */
  titleId?: string;
}

/** A full page explaining one situation: icon, heading (focused when the page appears), what it means, what to do. */
export function StatusPage({ icon, title, children, actions, iconClassName, titleId }: StatusPageProps) {
  const styles = useStyles();
  return (
    <section className={styles.page}>
      <span className={mergeClasses(styles.icon, iconClassName)} aria-hidden>
        {icon}
      </span>
      <StepHeading id={titleId}>{title}</StepHeading>
      {children !== undefined && <div className={styles.body}>{children}</div>}
      {actions !== undefined && <div className={styles.actions}>{actions}</div>}
    </section>
  );
}
