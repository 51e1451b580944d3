import { Body1, Body1Strong, Button, Caption1, Card, makeStyles, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner, tokens } from '@fluentui/react-components';
import { CloudArrowUp20Regular, DocumentSearch20Regular } from '@fluentui/react-icons';
import type { KeyStatusReportT } from '../../preload/contract';
import { driveName } from '../backup-text';
import { selectMissingKeys, selectStoppedKeyChange } from '../store/key-selectors';
import { useWizard } from '../store/context';
import { strings } from '../strings';
import { shortProtectorId } from '../volume-status';
import { sentence, useAnnouncement } from './Announcer';
import { Busy } from './Busy';
import { ErrorBar } from './ErrorBar';

const text = strings.keyStatus;

const useStyles = makeStyles({
  overview: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXL}` },
  secondary: { color: tokens.colorNeutralForeground2 },
  details: { display: 'block', marginTop: tokens.spacingVerticalS, color: tokens.colorNeutralForeground3, wordBreak: 'break-word' },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  block: { display: 'block' },
});

/**
 * Above the drives: whether the key status is still loading or failed, Windows' own warnings, a replacement or an
 * added key that stopped half-way, what the evidence means, and the two actions for every key at once (back up what
 * isn't; check saved key files).
 */
export function KeyOverview() {
  const styles = useStyles();
  const report = useWizard((s) => s.keyStatus);
  const loading = useWizard((s) => s.keyStatusLoading);
  const error = useWizard((s) => s.keyStatusError);
  const loadKeyStatus = useWizard((s) => s.loadKeyStatus);
  const missing = useWizard((s) => selectMissingKeys(s).length);
  const backUpMissing = useWizard((s) => s.backUpMissing);
  const checkSavedKeys = useWizard((s) => s.checkSavedKeys);
  const checkingSaved = useWizard((s) => s.checkingSaved);
  const savedError = useWizard((s) => s.savedError);
  const directory = report?.directory ?? null;
  useAnnouncement(error === null ? null : sentence(text.loadFailed.title, text.loadFailed.body), 'assertive');

  return (
    <div className={styles.overview}>
      {loading && report === null && <Busy text={text.loading} className={styles.secondary} role="status" />}
      {error !== null && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{text.loadFailed.title}</MessageBarTitle>
            {text.loadFailed.body}
            <Caption1 className={styles.details}>{strings.errors.details(error.code, error.hresult, error.message)}</Caption1>
          </MessageBarBody>
          <MessageBarActions>
            <Button disabled={loading} onClick={() => void loadKeyStatus()}>
              {text.tryAgain}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      <StoppedKeyChange />
      {report?.warnings.map((w) => <WindowsWarning key={`${w.eventId}-${w.at}-${w.mountPoint ?? ''}`} warning={w} />)}
      {savedError !== null && <ErrorBar error={savedError} />}
      <Card className={styles.card} role="none">
        <Body1Strong>{text.meaningTitle}</Body1Strong>
        <Body1 className={styles.secondary}>{text.meaning}</Body1>
        {missing > 0 && <Body1>{strings.backupMissing.hint(missing, directory)}</Body1>}
        <div className={styles.actions}>
          {missing > 0 && (
            <Button appearance="primary" icon={<CloudArrowUp20Regular />} onClick={() => void backUpMissing()}>
              {strings.backupMissing.button(directory)}
            </Button>
          )}
          <Button
            icon={checkingSaved ? <Spinner size="extra-tiny" aria-hidden /> : <DocumentSearch20Regular />}
            disabledFocusable={checkingSaved}
            onClick={() => void checkSavedKeys()}
          >
            {text.checkSaved}
          </Button>
        </div>
      </Card>
    </div>
  );
}

function WindowsWarning({ warning }: { warning: KeyStatusReportT['warnings'][number] }) {
  const known = warning.eventId === 869 || warning.eventId === 4106 || warning.eventId === 858 ? text.warnings[warning.eventId] : null;
  const title = known?.title ?? text.warnings.other.title;
  const body = known === null ? text.warnings.other.body(warning.at, warning.eventId) : known.body(warning.at);
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {body}
        {warning.mountPoint !== null && ` ${text.warnings.onDrive(warning.mountPoint)}`}
      </MessageBarBody>
    </MessageBar>
  );
}

/** A replacement, or an added key, that stopped before the new key's backup was proven: what state the drive is in. */
function StoppedKeyChange() {
  const change = useWizard(selectStoppedKeyChange);
  const volumes = useWizard((s) => s.volumes);
  const dismiss = useWizard((s) => s.dismissKeyChange);
  const styles = useStyles();
  if (change === null || change.newKeyId === null) return null;
  const drive = driveName(change.mountPoint, volumes);
  const newId = shortProtectorId(change.newKeyId);
  const title = change.oldKeyId === null ? strings.keyChange.newKeyTitle(drive) : strings.keyChange.notReplacedTitle(drive);
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {change.oldKeyId === null ? (
          strings.keyChange.addedNotBackedUp(newId, drive)
        ) : (
          <>
            <span className={styles.block}>{strings.keyChange.bothKeys(shortProtectorId(change.oldKeyId), newId, drive)}</span>
            <span className={styles.block}>{strings.keyChange.stoppedOnList(newId, change.mountPoint)}</span>
          </>
        )}
      </MessageBarBody>
      <MessageBarActions>
        <Button onClick={dismiss}>{strings.keyChange.dismiss}</Button>
      </MessageBarActions>
    </MessageBar>
  );
}
