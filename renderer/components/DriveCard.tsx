import { Body1, Button, Caption1, makeStyles, Text, tokens, useId } from '@fluentui/react-components';
import { HardDrive24Regular, Info16Regular, UsbStick24Regular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import type { VolumeT } from '../../preload/contract';
import { strings } from '../strings';
import { describeVolume, type CannotBackUpReason } from '../volume-status';
import { DriveStatusBadge } from './DriveStatusBadge';

const useStyles = makeStyles({
  // Fluent's Card look without its focus-management hooks: a PC can list dozens of drives, and the Card
  // component cost about 2 ms each to render (npm run bench, scale).
  card: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow4,
    // Invisible beside the shadow, but forced colours (Windows' contrast themes) draw it, and drop the shadow.
    border: `${tokens.strokeWidthThin} solid ${tokens.colorTransparentStroke}`,
    color: tokens.colorNeutralForeground1,
    display: 'grid',
    gridTemplateColumns: 'auto minmax(0, 1fr) auto',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`,
    '@media (max-width: 640px)': { gridTemplateColumns: 'auto minmax(0, 1fr)' },
  },
  icon: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    width: '44px',
    height: '44px',
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorBrandBackground2,
    color: tokens.colorBrandForeground2,
  },
  details: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, minWidth: 0 },
  name: { display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalXS, minWidth: 0 },
  // Labels are the user's own text: one line, cut with an ellipsis, never interpreted, isolated so an RTL
  // mark or newline inside cannot move or break what follows. The title attribute carries the full text.
  label: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    unicodeBidi: 'isolate',
    minWidth: 0,
  },
  mountPoint: { flex: 'none' },
  facts: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  secondary: { color: tokens.colorNeutralForeground3 },
  advice: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  action: {
    justifySelf: 'end',
    '@media (max-width: 640px)': { gridColumn: '2', justifySelf: 'start' },
  },
  reason: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: tokens.spacingHorizontalXS,
    maxWidth: '240px',
    color: tokens.colorNeutralForeground3,
  },
  reasonIcon: { flex: 'none', marginTop: '2px' },
  // Below the drive's own row, across the card: its keys' backup status.
  extra: { gridColumn: '2 / -1', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0, ':empty': { display: 'none' } },
});

interface DriveCardProps {
  volume: VolumeT;
  onBackUp: (mountPoint: string) => void;
  /** Shown under the drive, across the card (the keys' backup status). */
  children?: ReactNode;
}

/** One drive, as Windows would describe it, and either the way to back up its key or why that can't happen. */
export function DriveCard({ volume, onBackUp, children }: DriveCardProps) {
  const styles = useStyles();
  const nameId = useId('drive-name-');
  const { label, status, recoveryKeys, backup } = describeVolume(volume);
  const meaning = status.kind === 'waitingForActivation' || status.kind === 'suspended' ? strings.drives.statusMeaning[status.kind] : null;
  const Icon = volume.driveType === 'Removable' ? UsbStick24Regular : HardDrive24Regular;

  return (
    <div role="group" className={styles.card} aria-labelledby={nameId}>
      <span className={styles.icon} aria-hidden>
        <Icon />
      </span>
      <div className={styles.details}>
        <Text as="h3" size={400} weight="semibold" id={nameId} className={styles.name}>
          <span className={styles.label} dir="auto" title={label}>
            {label}
          </span>
          <span className={styles.mountPoint}>({volume.mountPoint})</span>
        </Text>
        <div className={styles.facts}>
          {volume.capacityGB !== null && <Body1 className={styles.secondary}>{strings.drives.capacity(volume.capacityGB)}</Body1>}
          <DriveStatusBadge status={status} />
        </div>
        {meaning !== null && <Caption1 className={styles.advice}>{meaning}</Caption1>}
        {recoveryKeys.length > 0 && (
          <Caption1 className={styles.secondary}>{strings.drives.recoveryKeyIds(recoveryKeys.map((k) => k.shortId))}</Caption1>
        )}
        {!backup.possible && backup.reason === 'noRecoveryPassword' && (
          <Caption1 className={styles.advice}>{strings.drives.addRecoveryPassword(volume.mountPoint)}</Caption1>
        )}
      </div>
      <div className={styles.action}>
        {backup.possible ? (
          <Button appearance="primary" aria-label={strings.drives.backUpFor(volume.mountPoint)} onClick={() => onBackUp(volume.mountPoint)}>
            {strings.drives.backUp}
          </Button>
        ) : (
          <CannotBackUp reason={backup.reason} />
        )}
      </div>
      {children !== undefined && <div className={styles.extra}>{children}</div>}
    </div>
  );
}

function CannotBackUp({ reason }: { reason: CannotBackUpReason }) {
  const styles = useStyles();
  return (
    <Caption1 className={styles.reason}>
      <Info16Regular className={styles.reasonIcon} aria-hidden />
      {strings.drives.cannotBackUp[reason]}
    </Caption1>
  );
}
