import { Caption1, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ShieldKeyhole20Filled } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { strings } from '../strings';
import { SimulatedBanner } from './SimulatedBanner';

const useStyles = makeStyles({
  shell: { display: 'flex', flexDirection: 'column', height: '100%' },
  header: { flex: 'none' },
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
  banner: { paddingBottom: tokens.spacingVerticalM },
  // Whatever scrolls into view (a focused control, a section a choice opened) stops short of a wizard step's
  // footer, which stays over the bottom of this area.
  scroll: { flex: '1 1 auto', minHeight: 0, overflowY: 'auto', scrollPaddingBottom: '96px' },
  // At least the window's height, so a wizard step's footer can sit at the bottom of the window.
  content: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXL,
    minHeight: '100%',
    paddingTop: tokens.spacingVerticalS,
  },
});

/**
 * The frame every page sits in: the app name and the simulated-PC banner in the header landmark (never scrolling
 * away), then one scrolling column in the main landmark.
 */
export function AppShell({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.shell}>
      <header className={styles.header}>
        <div className={styles.titleBar}>
          <ShieldKeyhole20Filled className={styles.appIcon} aria-hidden />
          <Caption1>{strings.appName}</Caption1>
        </div>
        <SimulatedBanner className={mergeClasses(styles.column, styles.banner)} />
      </header>
      <div className={styles.scroll}>
        <main className={mergeClasses(styles.column, styles.content)}>{children}</main>
      </div>
    </div>
  );
}
