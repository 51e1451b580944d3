import { Body1Strong, Caption1, Card, makeStyles, ProgressBar, Spinner, tokens } from '@fluentui/react-components';
import { useWizard } from '../store/context';
import { strings } from '../strings';
import { shortProtectorId } from '../volume-status';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}` },
  stage: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  secondary: { color: tokens.colorNeutralForeground3 },
});

/** The stage main last reported for a run or a check, with a bar while waiting for Windows to confirm. */
export function ProgressPanel() {
  const styles = useStyles();
  const progress = useWizard((s) => s.progress);
  const keyCount = useWizard((s) => s.selectedKeyIds.length);
  const stage = progress === null ? strings.progress.starting : strings.progress.stages[progress.stage];
  const limit = progress?.waitLimitMs ?? null;
  const waited = progress?.waitedMs ?? 0;
  return (
    <Card className={styles.panel} role="none">
      {/* Only the stage is announced: the seconds below change too often to read out. */}
      <div role="status" className={styles.stage}>
        <Spinner size="tiny" aria-hidden />
        <Body1Strong>{stage}</Body1Strong>
        {progress !== null && progress.keyProtectorId !== null && keyCount > 1 && (
          <Caption1 className={styles.secondary}>{strings.keys.shortId(shortProtectorId(progress.keyProtectorId))}</Caption1>
        )}
      </div>
      {limit !== null && limit > 0 && (
        <>
          <ProgressBar value={Math.min(waited / limit, 1)} max={1} thickness="large" aria-label={stage} />
          <Caption1 className={styles.secondary}>{strings.progress.waited(waited, limit)}</Caption1>
        </>
      )}
    </Card>
  );
}
