import { Body1, Body1Strong, Button, Card, makeStyles, mergeClasses, Spinner, tokens, useId } from '@fluentui/react-components';
import {
  ArrowClockwise20Regular,
  CheckmarkCircle20Filled,
  CheckmarkCircle48Regular,
  Clock20Filled,
  Clock48Regular,
  DismissCircle20Filled,
  DismissCircle48Regular,
  Warning20Filled,
  Warning48Regular,
} from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import type { BackupOutcomeT, BackupReportT } from '../../preload/contract';
import { failureMessage, outcomeEvidence } from '../backup-text';
import { ErrorBar } from '../components/ErrorBar';
import { ErrorText } from '../components/ErrorText';
import { ProgressPanel } from '../components/ProgressPanel';
import { WizardPage } from '../components/WizardPage';
import { selectCanCheckAgain, selectCanReplace, selectCanRetry, selectResultKind, type ResultKind } from '../store/backup-selectors';
import { useWizard } from '../store/context';
import { errorMessage, strings } from '../strings';
import { shortProtectorId } from '../volume-status';

const text = strings.result;

const useStyles = makeStyles({
  success: { color: tokens.colorPaletteGreenForeground1 },
  failure: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
  pending: { color: tokens.colorBrandForeground1 },
  rows: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: {
    display: 'grid',
    gridTemplateColumns: 'auto minmax(0, 1fr)',
    alignItems: 'start',
    columnGap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`,
  },
  rowIcon: { display: 'flex', paddingTop: '1px' },
  rowText: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  // Paths in the evidence are the user's own text.
  evidence: { overflowWrap: 'anywhere', unicodeBidi: 'isolate' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  // Plain text, not a link (the app opens no web pages): one click selects the address for copying.
  link: { color: tokens.colorNeutralForeground2, userSelect: 'all' },
});

type Look = 'success' | 'failure' | 'warning' | 'pending';

const headings: Record<ResultKind, { look: Look; icon: ReactElement }> = {
  success: { look: 'success', icon: <CheckmarkCircle48Regular /> },
  failure: { look: 'failure', icon: <DismissCircle48Regular /> },
  mixed: { look: 'warning', icon: <Warning48Regular /> },
  sentNotConfirmed: { look: 'pending', icon: <Clock48Regular /> },
};

const rowLooks: Record<BackupOutcomeT['status'], { look: Look; icon: ReactElement }> = {
  verified: { look: 'success', icon: <CheckmarkCircle20Filled /> },
  printed: { look: 'success', icon: <CheckmarkCircle20Filled /> },
  confirmed: { look: 'success', icon: <CheckmarkCircle20Filled /> },
  alreadyPresent: { look: 'success', icon: <CheckmarkCircle20Filled /> },
  sentNotConfirmed: { look: 'pending', icon: <Clock20Filled /> },
  cancelled: { look: 'warning', icon: <Warning20Filled /> },
  failed: { look: 'failure', icon: <DismissCircle20Filled /> },
};

/** Step 4: what happened to each key, with the evidence, and what can be done next. */
export function Result() {
  const styles = useStyles();
  const report = useWizard((s) => s.report);
  const kind = useWizard(selectResultKind);
  const canCheckAgain = useWizard(selectCanCheckAgain);
  const canReplace = useWizard(selectCanReplace);
  const canRetry = useWizard(selectCanRetry);
  const checking = useWizard((s) => s.checking);
  const checkError = useWizard((s) => s.checkError);
  const checkAgain = useWizard((s) => s.checkAgain);
  const replaceExisting = useWizard((s) => s.replaceExisting);
  const runBackup = useWizard((s) => s.runBackup);
  const backUpAnotherWay = useWizard((s) => s.backUpAnotherWay);
  const finish = useWizard((s) => s.finish);
  if (report === null || kind === null) return null;
  const heading = headings[kind];

  return (
    <WizardPage
      title={text.titles[kind]}
      icon={<span className={styles[heading.look]}>{heading.icon}</span>}
      start={
        <Button disabled={checking} onClick={backUpAnotherWay}>
          {text.anotherWay}
        </Button>
      }
      end={
        <Button appearance="primary" disabled={checking} onClick={() => void finish()}>
          {text.finish}
        </Button>
      }
    >
      <div className={styles.rows}>
        {report.outcomes.map((outcome) => (
          <OutcomeRow key={outcome.keyProtectorId} outcome={outcome} destination={report.destination} />
        ))}
      </div>
      {(canCheckAgain || canReplace || canRetry) && (
        <div className={styles.actions}>
          {canCheckAgain && (
            <Button
              appearance="primary"
              icon={checking ? <Spinner size="extra-tiny" aria-hidden /> : <ArrowClockwise20Regular />}
              disabledFocusable={checking}
              onClick={() => void checkAgain()}
            >
              {text.checkAgain}
            </Button>
          )}
          {canReplace && (
            <Button disabled={checking} onClick={() => void replaceExisting()}>
              {text.replaceIt}
            </Button>
          )}
          {canRetry && (
            <Button disabled={checking} icon={<ArrowClockwise20Regular />} onClick={() => void runBackup()}>
              {text.retry}
            </Button>
          )}
        </div>
      )}
      {checking && <ProgressPanel />}
      {checkError !== null && <ErrorBar error={checkError} />}
      {report.destination === 'microsoftAccount' && <Body1 className={styles.link}>{text.microsoftAccountLink}</Body1>}
    </WizardPage>
  );
}

function OutcomeRow({ outcome, destination }: { outcome: BackupOutcomeT; destination: BackupReportT['destination'] }) {
  const styles = useStyles();
  const nameId = useId('outcome-');
  const { look, icon } = rowLooks[outcome.status];
  return (
    <Card className={styles.row} aria-labelledby={nameId}>
      <span className={mergeClasses(styles.rowIcon, styles[look])} aria-hidden>
        {icon}
      </span>
      <div className={styles.rowText}>
        <Body1Strong id={nameId}>{strings.keys.shortId(shortProtectorId(outcome.keyProtectorId))}</Body1Strong>
        {outcome.status === 'failed' ? (
          outcome.error === null ? (
            <Body1>{errorMessage('Internal').title}</Body1>
          ) : (
            <ErrorText error={outcome.error} message={failureMessage(outcome.error, destination)} />
          )
        ) : (
          <Body1 className={styles.evidence}>{outcomeEvidence(outcome, destination)}</Body1>
        )}
      </div>
    </Card>
  );
}
