import { Body1, Body1Strong, Button, Caption1, Card, makeStyles, ProgressBar, Spinner, tokens } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { useWizard } from '../store/context';
import { strings } from '../strings';
import { shortProtectorId } from '../volume-status';
import { sentence, useAnnouncement } from './Announcer';

const useStyles = makeStyles({
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`,
    scrollMarginBottom: tokens.spacingVerticalL,
  },
  stage: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  secondary: { color: tokens.colorNeutralForeground3 },
  body: { color: tokens.colorNeutralForeground2 },
  actions: { display: 'flex', paddingTop: tokens.spacingVerticalXS },
});

/**
 * The stage main last reported for a run or a check, with a bar while waiting for Windows to confirm. For the
 * Microsoft account, the user works in Windows' own window meanwhile: the panel says what to do there, and
 * "Stop waiting" ends the wait (the result then says what Windows reported so far).
 */
export function ProgressPanel() {
  const styles = useStyles();
  const progress = useWizard((s) => s.progress);
  const keyCount = useWizard((s) => s.selectedKeyIds.length);
  const inWindows = useWizard((s) => s.running && s.draft.kind === 'microsoftAccount');
  const panelPage = useWizard((s) => s.panelPage);
  const stoppingWait = useWizard((s) => s.stoppingWait);
  const stopWaiting = useWizard((s) => s.stopWaiting);
  const stage = progress === null ? strings.progress.starting : strings.progress.stages[progress.stage];
  const instructions = inWindows && panelPage !== null ? strings.progress.microsoftAccount[panelPage] : null;
  const heading = instructions?.title ?? stage;
  const limit = progress?.waitLimitMs ?? null;
  const waited = progress?.waitedMs ?? 0;
  // Only the stage (or what to do in Windows' window) is announced: the seconds change too often to read out.
  useAnnouncement(instructions === null ? stage : sentence(instructions.title, instructions.body));
  // It appears below what was there: brought into view, so what to do and "Stop waiting" are on screen.
  const ref = useRef<HTMLDivElement>(null);
  const instructed = instructions !== null;
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [instructed]);
  return (
    <Card ref={ref} className={styles.panel} role="none">
      <div className={styles.stage}>
        <Spinner size="tiny" aria-hidden />
        <Body1Strong>{heading}</Body1Strong>
        {progress !== null && progress.keyProtectorId !== null && keyCount > 1 && (
          <Caption1 className={styles.secondary}>{strings.keys.shortId(shortProtectorId(progress.keyProtectorId))}</Caption1>
        )}
      </div>
      {instructions !== null && <Body1 className={styles.body}>{instructions.body}</Body1>}
      {limit !== null && limit > 0 && (
        <>
          <ProgressBar value={Math.min(waited / limit, 1)} max={1} thickness="large" aria-label={heading} />
          <Caption1 className={styles.secondary}>{strings.progress.waited(waited, limit)}</Caption1>
        </>
      )}
      {inWindows && (
        <div className={styles.actions}>
          <Button disabledFocusable={stoppingWait} onClick={() => void stopWaiting()}>
            {strings.progress.microsoftAccount.stopWaiting}
          </Button>
        </div>
      )}
    </Card>
  );
}
