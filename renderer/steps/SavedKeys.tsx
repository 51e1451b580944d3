import { Body1, Body1Strong, Button, Caption1, Card, makeStyles, mergeClasses, MessageBar, MessageBarBody, Spinner, tokens } from '@fluentui/react-components';
import { CheckmarkCircle20Filled, DismissCircle20Filled, DocumentSearch20Regular, History20Regular, QuestionCircle20Regular, Warning20Filled } from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import type { SavedKeyVerdictT } from '../../preload/contract';
import { driveName } from '../backup-text';
import { sentence, useAnnouncement } from '../components/Announcer';
import { ErrorBar } from '../components/ErrorBar';
import { WizardPage } from '../components/WizardPage';
import { useWizard } from '../store/context';
import { strings } from '../strings';
import { shortProtectorId } from '../volume-status';

const text = strings.savedKeys;

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
  // File names and folders are the user's own text.
  userText: { overflowWrap: 'anywhere', unicodeBidi: 'isolate' },
  secondary: { color: tokens.colorNeutralForeground2 },
  success: { color: tokens.colorPaletteGreenForeground1 },
  failure: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
  neutral: { color: tokens.colorNeutralForeground2 },
});

const looks: Record<SavedKeyVerdictT, { look: 'success' | 'failure' | 'warning' | 'neutral'; icon: ReactElement }> = {
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
        <ul className={styles.rows}>
          {check.files.map((file, i) => {
            const { look, icon } = looks[file.verdict];
            const verdict = text.verdicts[file.verdict];
            const drive = file.mountPoint === null ? null : driveName(file.mountPoint, volumes);
            return (
              <li key={`${i}-${file.name}`}>
                <Card className={styles.row} role="none">
                  <span className={mergeClasses(styles.rowIcon, styles[look])} aria-hidden>
                    {icon}
                  </span>
                  <div className={styles.rowText}>
                    <Body1Strong className={styles.userText} dir="auto">
                      {file.name}
                    </Body1Strong>
                    <Caption1 className={styles.secondary}>
                      {file.keyProtectorId === null ? text.noKeyId : text.keyId(shortProtectorId(file.keyProtectorId))}
                    </Caption1>
                    <Body1>{verdict.title(drive)}</Body1>
                    <Caption1 className={styles.secondary}>{verdict.todo}</Caption1>
                  </div>
                </Card>
              </li>
            );
          })}
        </ul>
      )}
    </WizardPage>
  );
}
