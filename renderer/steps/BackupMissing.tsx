import { Body1, Body1Strong, Button, Caption1, Card, makeStyles, mergeClasses, ProgressBar, Spinner, tokens } from '@fluentui/react-components';
import {
  CheckmarkCircle20Filled,
  CheckmarkCircle48Regular,
  Circle20Regular,
  Clock20Filled,
  Clock48Regular,
  DismissCircle20Filled,
  DismissCircle48Regular,
  Warning20Filled,
  Warning48Regular,
} from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import type { BackupOutcomeT } from '../../preload/contract';
import { driveName, failureMessage, outcomeEvidence } from '../backup-text';
import { sentence, useAnnouncement } from '../components/Announcer';
import { ErrorBar } from '../components/ErrorBar';
import { ErrorText } from '../components/ErrorText';
import { WizardPage } from '../components/WizardPage';
import { missingOutcomes, selectMissingResultKind, succeeded, type MissingResultKind } from '../store/key-selectors';
import { useWizard } from '../store/context';
import { errorMessage, strings } from '../strings';
import { shortProtectorId } from '../volume-status';

const text = strings.backupMissing;

const useStyles = makeStyles({
  rows: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, margin: 0, padding: 0, listStyleType: 'none' },
  row: {
    display: 'grid',
    gridTemplateColumns: 'auto minmax(0, 1fr)',
    alignItems: 'start',
    columnGap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXL}`,
  },
  rowIcon: { display: 'flex', paddingTop: '1px' },
  rowText: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  evidence: { overflowWrap: 'anywhere', unicodeBidi: 'isolate' },
  secondary: { color: tokens.colorNeutralForeground2 },
  success: { color: tokens.colorPaletteGreenForeground1 },
  failure: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
  pending: { color: tokens.colorBrandForeground1 },
  refreshing: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
});

/** "Back up what isn't", under way: each key with the stage main last reported for it. */
export function BackupMissingProgress() {
  const styles = useStyles();
  const run = useWizard((s) => s.missing);
  const volumes = useWizard((s) => s.volumes);
  const latest = run?.latest ?? null;
  const current = latest?.keyProtectorId ?? null;
  const stage = latest === null ? strings.progress.starting : strings.progress.stages[latest.stage];
  // The stage of the key being sent; the seconds change too often to read out.
  useAnnouncement(current === null ? stage : sentence(strings.keys.shortId(shortProtectorId(current)), stage));
  if (run === null) return null;

  return (
    <WizardPage title={text.runningTitle} intro={text.runningIntro(run.directory)} end={null}>
      <ul className={styles.rows}>
        {run.keys.map((key) => {
          const isCurrent = key.keyProtectorId === current;
          const done = !isCurrent && run.started.includes(key.keyProtectorId);
          const limit = isCurrent ? (latest?.waitLimitMs ?? null) : null;
          const label = isCurrent ? stage : done ? text.done : text.waiting;
          return (
            <li key={key.keyProtectorId}>
              <Card className={styles.row} role="none">
                <span className={styles.rowIcon} aria-hidden>
                  {isCurrent ? <Spinner size="extra-tiny" /> : done ? <CheckmarkCircle20Filled className={styles.secondary} /> : <Circle20Regular className={styles.secondary} />}
                </span>
                <div className={styles.rowText}>
                  <Body1Strong>
                    {driveName(key.mountPoint, volumes)} — {strings.keys.shortId(shortProtectorId(key.keyProtectorId))}</Body1Strong>
                  <Body1 className={styles.secondary}>{label}</Body1>
                  {limit !== null && limit > 0 && (
                    <>
                      <ProgressBar value={Math.min((latest?.waitedMs ?? 0) / limit, 1)} max={1} aria-label={label} />
                      <Caption1 className={styles.secondary}>{strings.progress.waited(latest?.waitedMs ?? 0, limit)}</Caption1>
                    </>
                  )}
                </div>
              </Card>
            </li>
          );
        })}
      </ul>
    </WizardPage>
  );
}

type Look = 'success' | 'failure' | 'warning' | 'pending';

const headings: Record<MissingResultKind, { look: Look; icon: ReactElement }> = {
  success: { look: 'success', icon: <CheckmarkCircle48Regular /> },
  nothing: { look: 'success', icon: <CheckmarkCircle48Regular /> },
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

/** "Back up what isn't", finished: every key's outcome with its evidence or why it failed; the status is read again meanwhile. */
export function BackupMissingResult() {
  const styles = useStyles();
  const run = useWizard((s) => s.missing);
  const volumes = useWizard((s) => s.volumes);
  const kind = useWizard(selectMissingResultKind);
  const outcomes = missingOutcomes(run);
  const refreshing = useWizard((s) => s.keyStatusLoading);
  const close = useWizard((s) => s.closeMissing);
  const title = run !== null && run.error !== null ? text.failedTitle : kind === null ? null : text.resultTitles[kind];
  const counts = outcomes.length === 0 ? null : text.summaryCounts(outcomes.filter((o) => succeeded.has(o.outcome.status)).length, outcomes.length);
  useAnnouncement(title === null ? null : sentence(title, counts));
  if (run === null || title === null) return null;
  const heading = run.error !== null ? headings.failure : headings[kind ?? 'failure'];
  const destination = run.result?.destination ?? run.directory;

  return (
    <WizardPage
      title={title}
      icon={<span className={styles[heading.look]}>{heading.icon}</span>}
      onEscape={close}
      end={
        <Button appearance="primary" onClick={close}>
          {text.finish}
        </Button>
      }
    >
      {counts !== null && <Body1 className={styles.secondary}>{counts}</Body1>}
      {run.error !== null && <ErrorBar error={run.error} />}
      {outcomes.length > 0 && (
        <ul className={styles.rows}>
          {outcomes.map(({ mountPoint, outcome }) => {
            const look = rowLooks[outcome.status];
            return (
              <li key={`${mountPoint}${outcome.keyProtectorId}`}>
                <Card className={styles.row} role="none">
                  <span className={mergeClasses(styles.rowIcon, styles[look.look])} aria-hidden>
                    {look.icon}
                  </span>
                  <div className={styles.rowText}>
                    <Body1Strong>
                      {driveName(mountPoint, volumes)} — {strings.keys.shortId(shortProtectorId(outcome.keyProtectorId))}
                    </Body1Strong>
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
              </li>
            );
          })}
        </ul>
      )}
      {refreshing && (
        <div className={styles.refreshing}>
          <Spinner size="extra-tiny" aria-hidden />
          <Caption1>{text.refreshing}</Caption1>
        </div>
      )}
    </WizardPage>
  );
}
