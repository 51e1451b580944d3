import { Body1, Button, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, tokens } from '@fluentui/react-components';
import { Warning48Regular } from '@fluentui/react-icons';
import type { AppErrorT } from '../../preload/contract';
import { driveName, outcomeEvidence } from '../backup-text';
import { sentence, useAnnouncement } from '../components/Announcer';
import { Busy } from '../components/Busy';
import { ErrorBar } from '../components/ErrorBar';
import { MarkIcon, resultMarks } from '../components/OutcomeList';
import { WizardPage } from '../components/WizardPage';
import { useWizard } from '../store/context';
import { strings } from '../strings';
import { shortProtectorId } from '../volume-status';

const text = strings.keyChange;

const useStyles = makeStyles({
  secondary: { color: tokens.colorNeutralForeground2 },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  // The evidence names paths, the user's own text.
  evidence: { overflowWrap: 'anywhere', unicodeBidi: 'isolate' },
});

/** Why adding failed, in the add action's own words where it has some (PolicyForbids); nothing was changed. */
function AddError({ error }: { error: AppErrorT }) {
  const own = error.code === 'PolicyForbids' ? text.addErrors.PolicyForbids : undefined;
  return <ErrorBar error={error} {...(own === undefined ? {} : { message: own })} />;
}

/**
 * Asks before adding a recovery password: to a drive without one (step addKey), or to replace a disclosed key
 * (step rotate), warning that copies of the old key stop working and, on an Intune-managed PC, why Intune's own
 * rotation may have failed. Then the backup wizard opens for the new key.
 */
export function KeyChangeConfirm() {
  const styles = useStyles();
  const change = useWizard((s) => s.keyChange);
  const volumes = useWizard((s) => s.volumes);
  const intune = useWizard((s) => s.environment?.intuneManaged === true);
  const addKey = useWizard((s) => s.addKey);
  const cancel = useWizard((s) => s.cancelKeyChange);
  const adding = change?.phase === 'adding';
  useAnnouncement(adding ? text.adding : null);
  if (change === null) return null;
  const drive = driveName(change.mountPoint, volumes);
  const oldId = change.oldKeyId === null ? null : shortProtectorId(change.oldKeyId);

  return (
    <WizardPage
      title={oldId === null ? text.addTitle(drive) : text.rotateTitle(oldId)}
      intro={oldId === null ? text.addIntro : text.rotateIntro(drive)}
      onEscape={adding ? undefined : cancel}
      end={
        <>
          <Button appearance="primary" disabledFocusable={adding} onClick={() => void addKey()}>
            {oldId === null ? text.add : text.rotate}
          </Button>
          <Button disabled={adding} onClick={cancel}>
            {strings.wizard.cancel}
          </Button>
        </>
      }
    >
      {oldId === null ? (
        <Body1 className={styles.secondary}>{text.addWhy}</Body1>
      ) : (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{text.rotateWarningTitle}</MessageBarTitle>
            {text.rotateWarning(oldId)}
          </MessageBarBody>
        </MessageBar>
      )}
      {oldId !== null && intune && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{text.intuneTitle}</MessageBarTitle>
            {text.intune}
          </MessageBarBody>
        </MessageBar>
      )}
      {adding && <Busy text={text.adding} />}
      {change.error !== null && (
        <>
          <AddError error={change.error} />
          <Body1 className={styles.secondary}>{text.unchanged}</Body1>
        </>
      )}
    </WizardPage>
  );
}

/** The end of a replacement: the old key removed (and what that means), or removing it failed with both keys in place. */
export function KeyChangeResult() {
  const styles = useStyles();
  const change = useWizard((s) => s.keyChange);
  const report = useWizard((s) => s.report);
  const volumes = useWizard((s) => s.volumes);
  const retry = useWizard((s) => s.retryRemoveOld);
  const finish = useWizard((s) => s.finishKeyChange);
  const ready = change !== null && change.oldKeyId !== null && change.newKeyId !== null;
  const drive = change === null ? '' : driveName(change.mountPoint, volumes);
  const oldId = ready ? shortProtectorId(change.oldKeyId ?? '') : '';
  const newId = ready ? shortProtectorId(change.newKeyId ?? '') : '';
  const outcome = report?.outcomes.find((o) => o.keyProtectorId === change?.newKeyId);
  const evidence = outcome === undefined || report === null ? null : text.newKeyEvidence(outcomeEvidence(outcome, report.destination));
  const phase = change?.phase;
  const title = phase === 'removed' ? text.removedTitle : phase === 'removeFailed' ? text.stoppedTitle : text.removingTitle;
  const body = phase === 'removed' ? text.removed(oldId, newId, drive) : phase === 'removeFailed' ? sentence(text.bothKeys(oldId, newId, drive), text.stoppedRemove) : null;
  useAnnouncement(sentence(title, body, phase === 'removed' ? evidence : null));
  if (!ready) return null;

  const done = phase === 'removed' || phase === 'removeFailed';
  return (
    <WizardPage
      title={title}
      icon={phase === 'removed' ? <MarkIcon mark={resultMarks.success} /> : phase === 'removeFailed' ? <MarkIcon mark={{ look: 'warning', icon: <Warning48Regular /> }} /> : undefined}
      end={
        <>
          {phase === 'removeFailed' && (
            <Button appearance="primary" onClick={() => void retry()}>
              {text.tryAgain}
            </Button>
          )}
          <Button appearance={phase === 'removed' ? 'primary' : 'secondary'} disabled={!done} onClick={() => void finish()}>
            {text.finish}
          </Button>
        </>
      }
    >
      <div className={styles.body}>
        {!done && <Busy text={text.removingTitle} />}
        {phase === 'removed' && <Body1>{text.removed(oldId, newId, drive)}</Body1>}
        {phase === 'removeFailed' && (
          <>
            <Body1>{text.bothKeys(oldId, newId, drive)}</Body1>
            <Body1>{text.stoppedRemove}</Body1>
          </>
        )}
        {evidence !== null && <Body1 className={styles.evidence}>{evidence}</Body1>}
        {phase === 'removeFailed' && change.error !== null && <ErrorBar error={change.error} />}
      </div>
    </WizardPage>
  );
}

/**
 * On the result page of a replacement whose new key's backup isn't proven: the old key stays, the drive has both,
 * and what to do. Nothing when no replacement is under way or the backup went through.
 */
export function KeyChangeStopped() {
  const styles = useStyles();
  const change = useWizard((s) => s.keyChange);
  const volumes = useWizard((s) => s.volumes);
  const step = useWizard((s) => s.step);
  if (step !== 'result' || change === null || change.phase !== 'backingUp' || change.oldKeyId === null || change.newKeyId === null) return null;
  const drive = driveName(change.mountPoint, volumes);
  const newId = shortProtectorId(change.newKeyId);
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{text.stoppedTitle}</MessageBarTitle>
        <span className={styles.evidence}>{sentence(text.bothKeys(shortProtectorId(change.oldKeyId), newId, drive), text.stoppedBackup(newId))}</span>
      </MessageBarBody>
    </MessageBar>
  );
}
