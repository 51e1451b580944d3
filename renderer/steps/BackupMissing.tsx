import { Body1, Body1Strong, Button, Caption1, makeStyles, ProgressBar, Spinner, tokens } from '@fluentui/react-components';
import { CheckmarkCircle20Filled, Circle20Regular } from '@fluentui/react-icons';
import { driveName } from '../backup-text';
import { sentence, useAnnouncement } from '../components/Announcer';
import { Busy } from '../components/Busy';
import { ErrorBar } from '../components/ErrorBar';
import { MarkIcon, OutcomeDetail, OutcomeItem, OutcomeList, outcomeMarks, resultMarks } from '../components/OutcomeList';
import { WizardPage } from '../components/WizardPage';
import { missingOutcomes, selectMissingResultKind, succeeded } from '../store/key-selectors';
import { useWizard } from '../store/context';
import { strings } from '../strings';
import { shortProtectorId } from '../volume-status';

const text = strings.backupMissing;

const useStyles = makeStyles({
  secondary: { color: tokens.colorNeutralForeground2 },
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
      <OutcomeList>
        {run.keys.map((key) => {
          const isCurrent = key.keyProtectorId === current;
          const done = !isCurrent && run.started.includes(key.keyProtectorId);
          const limit = isCurrent ? (latest?.waitLimitMs ?? null) : null;
          const label = isCurrent ? stage : done ? text.done : text.waiting;
          return (
            <OutcomeItem
              key={key.keyProtectorId}
              look="neutral"
              icon={isCurrent ? <Spinner size="extra-tiny" /> : done ? <CheckmarkCircle20Filled /> : <Circle20Regular />}
            >
              <Body1Strong>
                {driveName(key.mountPoint, volumes)} — {strings.keys.shortId(shortProtectorId(key.keyProtectorId))}
              </Body1Strong>
              <Body1 className={styles.secondary}>{label}</Body1>
              {limit !== null && limit > 0 && (
                <>
                  <ProgressBar value={Math.min((latest?.waitedMs ?? 0) / limit, 1)} max={1} aria-label={label} />
                  <Caption1 className={styles.secondary}>{strings.progress.waited(latest?.waitedMs ?? 0, limit)}</Caption1>
                </>
              )}
            </OutcomeItem>
          );
        })}
      </OutcomeList>
    </WizardPage>
  );
}

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
  const heading = run.error !== null ? resultMarks.failure : resultMarks[kind ?? 'failure'];
  const destination = run.result?.destination ?? run.directory;

  return (
    <WizardPage
      title={title}
      icon={<MarkIcon mark={heading} />}
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
        <OutcomeList>
          {outcomes.map(({ mountPoint, outcome }) => (
            <OutcomeItem key={`${mountPoint}${outcome.keyProtectorId}`} {...outcomeMarks[outcome.status]}>
              <Body1Strong>
                {driveName(mountPoint, volumes)} — {strings.keys.shortId(shortProtectorId(outcome.keyProtectorId))}
              </Body1Strong>
              <OutcomeDetail outcome={outcome} destination={destination} />
            </OutcomeItem>
          ))}
        </OutcomeList>
      )}
      {refreshing && <Busy text={text.refreshing} small className={styles.secondary} />}
    </WizardPage>
  );
}
