import { Body1, Body1Strong, Button, Caption1, makeStyles, mergeClasses, MessageBar, MessageBarBody, Spinner, tokens } from '@fluentui/react-components';
import { CheckmarkCircle20Filled, DismissCircle20Filled, DocumentSearch20Regular, History20Regular, QuestionCircle20Regular, Warning20Filled } from '@fluentui/react-icons';
import type { SavedKeyVerdictT } from '../../preload/contract';
import { driveName } from '../backup-text';
import { sentence, useAnnouncement } from '../components/Announcer';
import { ErrorBar } from '../components/ErrorBar';
import { OutcomeItem, OutcomeList, type Mark } from '../components/OutcomeList';
import { WizardPage } from '../components/WizardPage';
import { useWizard } from '../store/context';
import { strings } from '../strings';
import { shortProtectorId } from '../volume-status';

const text = strings.savedKeys;

const useStyles = makeStyles({
  // File names and folders are the user's own text.
  userText: { overflowWrap: 'anywhere', unicodeBidi: 'isolate' },
  secondary: { color: tokens.colorNeutralForeground2 },
});

const marks: Record<SavedKeyVerdictT, Mark> = {
  current: { look: 'success', icon: <CheckmarkCircle20Filled /> },
  stale: { look: 'warning', icon: <History20Regular /> },
  otherPc: { look: 'neutral', icon: <QuestionCircle20Regular /> },
  damaged: { look: 'failure', icon: <DismissCircle20Filled /> },
  unreadable: { look: 'failure', icon: <Warning20Filled /> },
};

/** The saved-key checker's findings: each key file in the chosen folder, what it is for this PC, and what to do with it. */
export function SavedKeys() {
  const styles = useStyles();
  const check = useWizard((s) => s.savedCheck);
  const checking = useWizard((s) => s.checkingSaved);
  const error = useWizard((s) => s.savedError);
  const volumes = useWizard((s) => s.volumes);
  const checkAgain = useWizard((s) => s.checkSavedKeys);
  const close = useWizard((s) => s.closeSavedKeys);
  const summary = check === null ? null : check.files.length === 0 ? text.none : text.count(check.files.length);
  useAnnouncement(summary === null ? null : sentence(text.folder(check?.folder ?? ''), summary));
  if (check === null) return null;

  return (
    <WizardPage
      title={text.title}
      intro={text.intro}
      onEscape={checking ? undefined : close}
      start={
        <Button
          icon={checking ? <Spinner size="extra-tiny" aria-hidden /> : <DocumentSearch20Regular />}
          disabledFocusable={checking}
          onClick={() => void checkAgain()}
        >
          {checking ? text.checking : text.checkAnother}
        </Button>
      }
      end={
        <Button appearance="primary" disabled={checking} onClick={close}>
          {text.done}
        </Button>
      }
    >
      <Body1 className={mergeClasses(styles.secondary, styles.userText)}>{text.folder(check.folder)}</Body1>
      <Body1Strong>{summary}</Body1Strong>
      {error !== null && <ErrorBar error={error} />}
      {check.truncated && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{text.truncated}</MessageBarBody>
        </MessageBar>
      )}
      {check.files.length > 0 && (
        <OutcomeList>
          {check.files.map((file, i) => {
            const verdict = text.verdicts[file.verdict];
            const drive = file.mountPoint === null ? null : driveName(file.mountPoint, volumes);
            return (
              <OutcomeItem key={`${i}-${file.name}`} {...marks[file.verdict]}>
                <Body1Strong className={styles.userText} dir="auto">
                  {file.name}
                </Body1Strong>
                <Caption1 className={styles.secondary}>
                  {file.keyProtectorId === null ? text.noKeyId : text.keyId(shortProtectorId(file.keyProtectorId))}
                </Caption1>
                <Body1>{verdict.title(drive)}</Body1>
                <Caption1 className={styles.secondary}>{verdict.todo}</Caption1>
              </OutcomeItem>
            );
          })}
        </OutcomeList>
      )}
    </WizardPage>
  );
}
