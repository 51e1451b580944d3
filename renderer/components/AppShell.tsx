import { Caption1, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ShieldKeyhole20Filled } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { strings } from '../strings';
import { SimulatedBanner } from './SimulatedBanner';

const useStyles = makeStyles({
  shell: { display: 'flex', flexDirection: 'column', height: '100%' },
  titleBar: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXL}`,
    color: tokens.colorNeutralForeground2,
  },
  appIcon: { color: tokens.colorBrandForeground1 },
  column: {
    boxSizing: 'border-box',
    width: '100%',
    maxWidth: '920px',
    margin: '0 auto',
    paddingLeft: tokens.spacingHorizontalXXXL,
    paddingRight: tokens.spacingHorizontalXXXL,
  },
  banner: { flex: 'none', paddingBottom: tokens.spacingVerticalM },
  scroll: { flex: '1 1 auto', overflowY: 'auto' },
  content: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXL,
    paddingTop: tokens.spacingVerticalS,
    paddingBottom: tokens.spacingVerticalXXXL,
  },
});

/** The frame every page sits in: app name, the simulated-PC banner (never scrolls away), one scrolling column. */
export function AppShell({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.shell}>
      <header className={styles.titleBar}>
        <ShieldKeyhole20Filled className={styles.appIcon} />
        <Caption1>{strings.appName}</Caption1>
      </header>
      <SimulatedBanner className={mergeClasses(styles.column, styles.banner)} />
      <div className={styles.scroll}>
        <main className={mergeClasses(styles.column, styles.content)}>{children}</main>
      </div>
    </div>
  );
}
