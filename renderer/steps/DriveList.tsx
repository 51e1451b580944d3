import { Body1, Body1Strong, Button, Caption1, Card, makeStyles, Subtitle2, tokens, useId } from '@fluentui/react-components';
import { ArrowClockwise20Regular, Desktop24Regular } from '@fluentui/react-icons';
import { useMemo } from 'react';
import type { VolumeT } from '../../preload/contract';
import { DriveCard } from '../components/DriveCard';
import { KeyOverview } from '../components/KeyOverview';
import { LeftoverCopiesNotice } from '../components/LeftoverCopiesNotice';
import { KeyStatusList } from '../components/KeyStatusList';
import { StepHeading } from '../components/StepHeading';
import { useWizard } from '../store/context';
import { strings } from '../strings';
import { groupVolumes, type DriveGroup } from '../volume-status';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL, paddingBottom: tokens.spacingVerticalXXXL },
  intro: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  secondary: { color: tokens.colorNeutralForeground2 },
  computer: {
    display: 'flex',
    flexDirection: 'row',
    alignItems: 'center',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXL}`,
  },
  computerName: { display: 'flex', flexDirection: 'column', flex: '1 1 auto', minWidth: 0, overflowWrap: 'anywhere' },
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  groupTitle: { margin: `${tokens.spacingVerticalS} 0 0` },
  cards: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** Step 1: every drive, grouped as Windows' BitLocker control panel groups them. */
export function DriveList() {
  const styles = useStyles();
  const volumes = useWizard((s) => s.volumes);
  const groups = useMemo(() => groupVolumes(volumes ?? []), [volumes]);

  return (
    <div className={styles.page}>
      <div className={styles.intro}>
        <StepHeading>{strings.drives.title}</StepHeading>
        <Body1 className={styles.secondary}>{strings.drives.intro}</Body1>
        <Body1 className={styles.secondary}>{strings.drives.keyIdHint}</Body1>
      </div>
      <LeftoverCopiesNotice />
      <ComputerBar />
      <KeyOverview />
      {groups.length === 0 ? <NoDrives /> : groups.map((g) => <DriveGroupSection key={g.group} group={g.group} volumes={g.volumes} />)}
    </div>
  );
}

function ComputerBar() {
  const styles = useStyles();
  const computerName = useWizard((s) => s.environment?.computerName);
  const load = useWizard((s) => s.load);
  return (
    <Card className={styles.computer}>
      <Desktop24Regular aria-hidden />
      <div className={styles.computerName}>
        <Caption1 className={styles.secondary}>{strings.drives.computer}</Caption1>
        <Body1Strong>{computerName}</Body1Strong>
      </div>
      <Button icon={<ArrowClockwise20Regular />} onClick={() => void load()}>
        {strings.drives.refresh}
      </Button>
    </Card>
  );
}

function DriveGroupSection({ group, volumes }: { group: DriveGroup; volumes: VolumeT[] }) {
  const styles = useStyles();
  const headingId = useId('drive-group-');
  const chooseDrive = useWizard((s) => s.chooseDrive);
  return (
    <section className={styles.group} aria-labelledby={headingId}>
      <Subtitle2 as="h2" id={headingId} className={styles.groupTitle}>
        {strings.drives.groups[group]}
      </Subtitle2>
      <div className={styles.cards}>
        {volumes.map((v) => (
          <DriveCard key={v.mountPoint} volume={v} onBackUp={chooseDrive}>
            <KeyStatusList volume={v} />
          </DriveCard>
        ))}
      </div>
    </section>
  );
}

function NoDrives() {
  const styles = useStyles();
  return (
    <section className={styles.group}>
      <Subtitle2 as="h2" className={styles.groupTitle}>
        {strings.drives.noneTitle}
      </Subtitle2>
      <Body1 className={styles.secondary}>{strings.drives.noneBody}</Body1>
    </section>
  );
}
