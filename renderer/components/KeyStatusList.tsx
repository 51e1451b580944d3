import { Badge, Body1, Body1Strong, Button, Caption1, makeStyles, mergeClasses, MessageBar, MessageBarBody, MessageBarTitle, tokens, type BadgeProps } from '@fluentui/react-components';
import { Add20Regular, ArrowSwap20Regular, Question16Regular, ShieldCheckmark16Regular, ShieldDismiss16Regular, Warning16Regular } from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import type { KeyBackupStatusT, VolumeT } from '../../preload/contract';
import { selectDriveKeyStatus } from '../store/key-selectors';
import { useWizard } from '../store/context';
import { strings } from '../strings';
import { backupAvailability, driveStatus, recoveryKeys, shortProtectorId } from '../volume-status';

const text = strings.keyStatus;

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  key: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) auto',
    columnGap: tokens.spacingHorizontalM,
    alignItems: 'start',
    paddingTop: tokens.spacingVerticalS,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  keyText: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  keyTitle: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  records: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  // Paths are the user's own text.
  record: { overflowWrap: 'anywhere', unicodeBidi: 'isolate', color: tokens.colorNeutralForeground2 },
  secondary: { color: tokens.colorNeutralForeground3 },
  why: { color: tokens.colorNeutralForeground2 },
  removed: { display: 'flex', gap: tokens.spacingHorizontalXS, alignItems: 'flex-start', color: tokens.colorNeutralForeground2 },
  removedIcon: { flex: 'none', marginTop: '2px' },
  // Plain text, not a link (the app opens no web pages): one click selects the address for copying.
  address: { userSelect: 'all', fontFamily: tokens.fontFamilyMonospace },
  block: { display: 'block', marginTop: tokens.spacingVerticalXS },
});

const summaryLooks: Record<KeyBackupStatusT['summary'], { color: BadgeProps['color']; icon: ReactElement }> = {
  backedUp: { color: 'success', icon: <ShieldCheckmark16Regular /> },
  notBackedUp: { color: 'danger', icon: <ShieldDismiss16Regular /> },
  unknown: { color: 'warning', icon: <Question16Regular /> },
};

/**
 * Under one drive: where each of its recovery passwords is backed up (Windows' events, this app's own saves), when
 * it was created, keys removed since this app saved them, and the ways to act (replace a key, add one to a drive
 * without). While the status loads or after it failed, only the actions that need no status are offered.
 */
export function KeyStatusList({ volume }: { volume: VolumeT }) {
  const styles = useStyles();
  const drive = useWizard((s) => selectDriveKeyStatus(s, volume.mountPoint));
  const logStartsAt = useWizard((s) => s.keyStatus?.logStartsAt ?? null);
  const startAddKey = useWizard((s) => s.startAddKey);
  const waitingForActivation = driveStatus(volume).kind === 'waitingForActivation';
  const availability = backupAvailability(volume);
  const canAdd = !availability.possible && availability.reason === 'noRecoveryPassword';
  const current = new Set(recoveryKeys(volume).map((k) => k.keyProtectorId.toUpperCase()));
  const keys = drive?.keys.filter((k) => current.has(k.keyProtectorId.toUpperCase())) ?? [];
  const removed = drive?.removedKeys ?? [];
  if (!waitingForActivation && !canAdd && keys.length === 0 && removed.length === 0) return null;

  return (
    <>
      {waitingForActivation && <ActivationHelp />}
      {keys.length > 0 && (
        <ul className={styles.list}>
          {keys.map((key) => (
            <KeyRow key={key.keyProtectorId} status={key} logStartsAt={logStartsAt} mountPoint={volume.mountPoint} canReplace={volume.lockStatus === 'Unlocked'} />
          ))}
        </ul>
      )}
      {removed.map((r) => (
        <Caption1 key={r.keyProtectorId} className={styles.removed}>
          <Warning16Regular className={styles.removedIcon} aria-hidden />
          {text.removed(shortProtectorId(r.keyProtectorId), r.removedAt)}
        </Caption1>
      ))}
      {canAdd && (
        <div>
          <Button icon={<Add20Regular />} aria-label={text.addKeyFor(volume.mountPoint)} onClick={() => startAddKey(volume.mountPoint)}>
            {text.addKey}
          </Button>
        </div>
      )}
    </>
  );
}

function KeyRow({ status, logStartsAt, mountPoint, canReplace }: { status: KeyBackupStatusT; logStartsAt: string | null; mountPoint: string; canReplace: boolean }) {
  const styles = useStyles();
  const startRotate = useWizard((s) => s.startRotate);
  const shortId = shortProtectorId(status.keyProtectorId);
  const look = summaryLooks[status.summary];
  const records = [
    ...status.windows.map((w) => text.windowsRecord(text.escrowNames[w.place], w.at, w.eventId, w.alreadyPresent)),
    ...status.app.map((a) => `${text.appRecord[a.place](a.path, a.at)}${a.place === 'print' ? '' : `, ${a.verified ? text.verified : text.notVerified}`}`),
  ];
  return (
    <li className={styles.key}>
      <div className={styles.keyText}>
        <div className={styles.keyTitle}>
          <Body1Strong>{strings.keys.shortId(shortId)}</Body1Strong>
          <Badge appearance="tint" shape="rounded" color={look.color} icon={look.icon}>
            {text.summary[status.summary]}
          </Badge>
        </div>
        {status.createdAt !== null && <Caption1 className={styles.secondary}>{text.created(status.createdAt)}</Caption1>}
        {records.length > 0 && (
          <ul className={styles.records}>
            {records.map((r, i) => (
              <li key={i}>
                <Caption1 className={styles.record}>{r}</Caption1>
              </li>
            ))}
          </ul>
        )}
        {status.summary === 'notBackedUp' && <Caption1 className={styles.why}>{text.notBackedUpWhy}</Caption1>}
        {status.summary === 'unknown' && <Caption1 className={styles.why}>{text.unknownWhy(logStartsAt)}</Caption1>}
      </div>
      {canReplace && (
        <Button size="small" icon={<ArrowSwap20Regular />} aria-label={text.replaceFor(shortId)} onClick={() => startRotate(mountPoint, status.keyProtectorId)}>
          {text.replace}
        </Button>
      )}
    </li>
  );
}

/** Device encryption's "waiting for activation": what it means, how to end it, and where the key can be seen afterwards. */
function ActivationHelp() {
  const styles = useStyles();
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{text.activation.title}</MessageBarTitle>
        <Body1 className={styles.block}>{text.activation.body}</Body1>
        <Body1 className={styles.block}>{text.activation.where}</Body1>
        <Body1 className={mergeClasses(styles.block, styles.address)}>{text.activation.url}</Body1>
        <Caption1 className={styles.block}>{text.activation.workOrSchool}</Caption1>
      </MessageBarBody>
    </MessageBar>
  );
}
