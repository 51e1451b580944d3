import { Body1, Card, makeStyles, mergeClasses, tokens, type CardProps } from '@fluentui/react-components';
import {
  CheckmarkCircle20Filled,
  CheckmarkCircle48Regular,
  Clock20Filled,
  Clock48Regular,
  DismissCircle20Filled,
  DismissCircle48Regular,
  Warning20Filled,
  Warning48Regular,
} from '@fluentui/react-icons';
import type { ReactElement, ReactNode } from 'react';
import type { BackupOutcomeT, BackupReportT } from '../../preload/contract';
import { failureMessage, outcomeEvidence } from '../backup-text';
import type { PanelPage } from '../store/backup';
import type { MissingResultKind } from '../store/key-selectors';
import { errorMessage } from '../strings';
import { ErrorText } from './ErrorText';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, margin: 0, padding: 0, listStyleType: 'none' },
  row: {
    display: 'grid',
    gridTemplateColumns: 'auto minmax(0, 1fr)',
    alignItems: 'start',
    columnGap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXL}`,
  },
  rowIcon: { display: 'flex', paddingTop: '1px' },
  rowText: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  // Paths in the evidence are the user's own text.
  evidence: { overflowWrap: 'anywhere', unicodeBidi: 'isolate' },
  success: { color: tokens.colorPaletteGreenForeground1 },
  failure: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
  pending: { color: tokens.colorBrandForeground1 },
  neutral: { color: tokens.colorNeutralForeground2 },
});

/** What a mark's colour says. */
export type Look = 'success' | 'failure' | 'warning' | 'pending' | 'neutral';

/** An icon and the colour it is drawn in. */
export interface Mark {
  look: Look;
  icon: ReactElement;
}

/** The mark at the start of a key's row, by what happened to its backup. */
export const outcomeMarks: Record<BackupOutcomeT['status'], Mark> = {
  verified: { look: 'success', icon: <CheckmarkCircle20Filled /> },
  printed: { look: 'success', icon: <CheckmarkCircle20Filled /> },
  confirmed: { look: 'success', icon: <CheckmarkCircle20Filled /> },
  alreadyPresent: { look: 'success', icon: <CheckmarkCircle20Filled /> },
  sentNotConfirmed: { look: 'pending', icon: <Clock20Filled /> },
  cancelled: { look: 'warning', icon: <Warning20Filled /> },
  failed: { look: 'failure', icon: <DismissCircle20Filled /> },
};

/** The mark beside a result page's heading, by how the backup as a whole went. */
export const resultMarks: Record<MissingResultKind, Mark> = {
  success: { look: 'success', icon: <CheckmarkCircle48Regular /> },
  nothing: { look: 'success', icon: <CheckmarkCircle48Regular /> },
  failure: { look: 'failure', icon: <DismissCircle48Regular /> },
  mixed: { look: 'warning', icon: <Warning48Regular /> },
  sentNotConfirmed: { look: 'pending', icon: <Clock48Regular /> },
};

/** A mark in its colour, for a page's heading (WizardPage hides it from screen readers). */
export function MarkIcon({ mark }: { mark: Mark }) {
  const styles = useStyles();
  return <span className={styles[mark.look]}>{mark.icon}</span>;
}

type OutcomeCardProps = { look: Look; icon: ReactNode; children: ReactNode } & Pick<CardProps, 'role' | 'aria-labelledby' | 'className'>;

/** One key's or file's row: its mark, decorative (the text says the same), then its lines of text. */
export function OutcomeCard({ look, icon, children, className, ...card }: OutcomeCardProps) {
  const styles = useStyles();
  return (
    <Card {...card} className={mergeClasses(styles.row, className)}>
      <span className={mergeClasses(styles.rowIcon, styles[look])} aria-hidden>
        {icon}
      </span>
      <div className={styles.rowText}>{children}</div>
    </Card>
  );
}

/** Rows for every key or file at once, one a list item (OutcomeItem). */
export function OutcomeList({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return <ul className={styles.list}>{children}</ul>;
}

/** A row of an OutcomeList: the list item says where it is, so the card itself is not announced. */
export function OutcomeItem(props: { look: Look; icon: ReactNode; children: ReactNode }) {
  return (
    <li>
      <OutcomeCard {...props} role="none" />
    </li>
  );
}

/** Beneath a key's name: why its backup failed, or the evidence that it is backed up. */
export function OutcomeDetail({ outcome, destination, panelPage = null }: { outcome: BackupOutcomeT; destination: BackupReportT['destination']; panelPage?: PanelPage | null }) {
  const styles = useStyles();
  if (outcome.status !== 'failed') return <Body1 className={styles.evidence}>{outcomeEvidence(outcome, destination, panelPage)}</Body1>;
  if (outcome.error === null) return <Body1>{errorMessage('Internal').title}</Body1>;
  return <ErrorText error={outcome.error} message={failureMessage(outcome.error, destination)} />;
}
