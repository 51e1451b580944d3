import { makeStyles, Title3, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { displayFontFamily } from '../theme';

const useStyles = makeStyles({
  page: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalL,
    maxWidth: '600px',
    margin: '0 auto',
    paddingTop: tokens.spacingVerticalXXXL,
  },
  icon: { fontSize: '48px', color: tokens.colorBrandForeground1, display: 'flex' },
  title: { fontFamily: displayFontFamily },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, color: tokens.colorNeutralForeground2 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, paddingTop: tokens.spacingVerticalM },
});

interface StatusPageProps {
  icon: ReactNode;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
}

/** A full page explaining one situation: icon, heading, what it means, what to do. */
export function StatusPage({ icon, title, children, actions }: StatusPageProps) {
  const styles = useStyles();
  return (
    <section className={styles.page}>
      <span className={styles.icon} aria-hidden>
        {icon}
      </span>
      <Title3 as="h1" className={styles.title}>
        {title}
      </Title3>
      {children !== undefined && <div className={styles.body}>{children}</div>}
      {actions !== undefined && <div className={styles.actions}>{actions}</div>}
    </section>
  );
}
