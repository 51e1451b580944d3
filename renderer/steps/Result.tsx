import { Body1, Body1Strong, Button, Caption1, makeStyles, Spinner, tokens, useId } from '@fluentui/react-components';
import { ArrowClockwise20Regular } from '@fluentui/react-icons';
import type { BackupOutcomeT, BackupReportT } from '../../preload/contract';
import { driveName, outcomeEvidence } from '../backup-text';
import { sentence, useAnnouncement } from '../components/Announcer';
import { ErrorBar } from '../components/ErrorBar';
import { MarkIcon, OutcomeCard, OutcomeDetail, outcomeMarks, resultMarks } from '../components/OutcomeList';
import { ProgressPanel } from '../components/ProgressPanel';
import { WizardPage } from '../components/WizardPage';
import type { PanelPage } from '../store/backup';
import { selectCanCheckAgain, selectCanReplace, selectCanRetry, selectResultKind, type ResultKind } from '../store/backup-selectors';
import { useWizard } from '../store/context';
import { selectGuidedNext } from '../store/key-selectors';
import { strings } from '../strings';
import { shortProtectorId } from '../volume-status';
import { KeyChangeStopped } from './KeyChange';

const text = strings.result;

const useStyles = makeStyles({
  rows: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  // One backup's key or two get more room than the lists of every key.
  row: { padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}` },
  // Plain text, not a link (the app opens no web pages): one click selects the address for copying.
  link: { color: tokens.colorNeutralForeground2, userSelect: 'all' },
  secondary: { color: tokens.colorNeutralForeground2 },
  checked: { color: tokens.colorNeutralForeground3 },
});

/** The button that moves the user on: Finish only when every key is backed up, otherwise the way forward. */
type WayForward = 'finish' | 'checkAgain' | 'retry' | 'anotherWay';

function wayForward(kind: ResultKind, canCheckAgain: boolean, canRetry: boolean): WayForward {
  if (kind === 'success') return 'finish';
  if (canCheckAgain) return 'checkAgain';
  if (canRetry) return 'retry';
  return 'anotherWay';
}

/** Step 4: what happened to each key, with the evidence, and what can be done next; announced as it appears or changes. */
export function Result() {
  const styles = useStyles();
  const report = useWizard((s) => s.report);
  const kind = useWizard(selectResultKind);
  const canCheckAgain = useWizard(selectCanCheckAgain);
  const canReplace = useWizard(selectCanReplace);
  const canRetry = useWizard(selectCanRetry);
  const checking = useWizard((s) => s.checking);
  const checkError = useWizard((s) => s.checkError);
  const lastCheckedAt = useWizard((s) => s.lastCheckedAt);
  const panelPage = useWizard((s) => s.panelPage);
  const checkAgain = useWizard((s) => s.checkAgain);
  const replaceExisting = useWizard((s) => s.replaceExisting);
  const runBackup = useWizard((s) => s.runBackup);
  const backUpAnotherWay = useWizard((s) => s.backUpAnotherWay);
  const finish = useWizard((s) => s.finish);
  // Backing up every key drive by drive (a home PC's "back up what isn't"): Finish goes on to the next drive.
  const guidedNext = useWizard(selectGuidedNext);
  const volumes = useWizard((s) => s.volumes);
  const title = report === null || kind === null ? null : resultTitle(kind, report);
  const lastChecked = canCheckAgain && lastCheckedAt !== null ? text.lastChecked(lastCheckedAt) : null;
  const only = report?.outcomes.length === 1 ? report.outcomes[0] : undefined;
  const evidence = only === undefined || report === null ? null : outcomeEvidence(only, report.destination, panelPage);
  useAnnouncement(title === null ? null : sentence(title, evidence, lastChecked));
  if (report === null || kind === null || title === null) return null;
  const heading = resultMarks[kind];
  const forward = wayForward(kind, canCheckAgain, canRetry);
  const primary = (way: WayForward) => (forward === way ? 'primary' : 'secondary');

  const checkAgainButton = canCheckAgain && (
    <Button
      key="checkAgain"
      appearance={primary('checkAgain')}
      icon={checking ? <Spinner size="extra-tiny" aria-hidden /> : <ArrowClockwise20Regular />}
      disabledFocusable={checking}
      onClick={() => void checkAgain()}
    >
      {text.checkAgain}
    </Button>
  );
  const retryButton = canRetry && (
    <Button key="retry" appearance={primary('retry')} disabled={checking} icon={<ArrowClockwise20Regular />} onClick={() => void runBackup()}>
      {text.retry}
    </Button>
  );
  const replaceButton = canReplace && (
    <Button key="replace" disabled={checking} onClick={() => void replaceExisting()}>
      {text.replaceIt}
    </Button>
  );
  const anotherWayButton = (
    <Button key="anotherWay" appearance={primary('anotherWay')} disabled={checking} onClick={backUpAnotherWay}>
      {text.anotherWay}
    </Button>
  );
  const finishButton = (
    <Button key="finish" appearance={primary('finish')} disabled={checking} onClick={() => void finish()}>
      {guidedNext === null ? text.finish : strings.backupMissing.guidedNext(driveName(guidedNext, volumes))}
    </Button>
  );
  // The way forward first on the right, as Windows puts a wizard's default button; Finish last unless it is that.
  const ordered = [checkAgainButton, retryButton, forward === 'anotherWay' ? anotherWayButton : null, replaceButton].filter(Boolean);
  const end = forward === 'finish' ? [finishButton] : [...ordered, finishButton];

  return (
    <WizardPage
      title={title}
      icon={<MarkIcon mark={heading} />}
      start={forward === 'anotherWay' ? undefined : anotherWayButton}
      end={<>{end}</>}
    >
      <KeyChangeStopped />
      <div className={styles.rows}>
        {report.outcomes.map((outcome) => (
          <OutcomeRow key={outcome.keyProtectorId} outcome={outcome} destination={report.destination} panelPage={panelPage} />
        ))}
      </div>
      {lastChecked !== null && <Caption1 className={styles.checked}>{lastChecked}</Caption1>}
      {checking && <ProgressPanel />}
      {checkError !== null && <ErrorBar error={checkError} />}
      {kind === 'success' && <Body1 className={styles.secondary}>{text.keepCopies}</Body1>}
      {report.destination === 'microsoftAccount' && <Body1 className={styles.link}>{text.microsoftAccountLink}</Body1>}
      {report.destination === 'entra' && <Body1 className={styles.link}>{text.entraLink}</Body1>}
    </WizardPage>
  );
}

/** The page's title; on the Microsoft account path nothing was sent by the app, so nothing is called "sent". */
function resultTitle(kind: ResultKind, report: BackupReportT): string {
  if (kind === 'sentNotConfirmed' && report.destination === 'microsoftAccount') return text.titles.notReported;
  return text.titles[kind];
}

function OutcomeRow({ outcome, destination, panelPage }: { outcome: BackupOutcomeT; destination: BackupReportT['destination']; panelPage: PanelPage | null }) {
  const styles = useStyles();
  const nameId = useId('outcome-');
  return (
    <OutcomeCard className={styles.row} aria-labelledby={nameId} {...outcomeMarks[outcome.status]}>
      <Body1Strong id={nameId}>{strings.keys.shortId(shortProtectorId(outcome.keyProtectorId))}</Body1Strong>
      <OutcomeDetail outcome={outcome} destination={destination} panelPage={panelPage} />
    </OutcomeCard>
  );
}
