import { Button, makeStyles, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, tokens } from '@fluentui/react-components';
import { Dismiss20Regular } from '@fluentui/react-icons';
import { useEffect, useState, type ReactElement } from 'react';
import type { ResponseOf } from '../../preload/contract';
import { bridge } from '../bridge';
import { call } from '../store/call';
import { strings } from '../strings';
import { sentence, useAnnouncement } from './Announcer';

const text = strings.leftoverCopies;

const useStyles = makeStyles({
  bars: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  title: { display: 'block', marginBottom: tokens.spacingVerticalXS },
  paths: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalL, wordBreak: 'break-all' },
});

type Leftovers = ResponseOf<'app:leftoverCopies'>;

/** Dismissed once, the "deleted" notice stays away for this run, however often the drive list comes back. */
let removedNoticeDismissed = false;

/**
 * What this start did with temporary copies of a key an earlier run left behind: which were deleted, and which
 * are still there with what to do about them. Nothing when there were none.
 */
export function LeftoverCopiesNotice() {
  const styles = useStyles();
  const [leftovers, setLeftovers] = useState<Leftovers | null>(null);
  const [dismissed, setDismissed] = useState(removedNoticeDismissed);
  useEffect(() => {
    let current = true;
    void call(() => bridge().getLeftoverCopies({})).then((result) => {
      if (current && result.ok) setLeftovers(result.data);
    });
    return () => {
      current = false;
    };
  }, []);
  const removed = leftovers?.removed ?? [];
  const remaining = leftovers?.remaining ?? [];
  useAnnouncement(remaining.length > 0 ? sentence(text.remainingTitle(remaining.length), text.remainingBody) : null, 'assertive');
  if (removed.length + remaining.length === 0) return null;
  return (
    <div className={styles.bars}>
      {remaining.length > 0 && <PathsBar intent="warning" title={text.remainingTitle(remaining.length)} body={text.remainingBody} paths={remaining} />}
      {removed.length > 0 && !dismissed && (
        <PathsBar
          intent="info"
          title={text.removedTitle(removed.length)}
          body={text.removedBody}
          paths={removed}
          dismiss={<Button appearance="transparent" aria-label={text.dismiss} icon={<Dismiss20Regular />} onClick={() => setDismissed((removedNoticeDismissed = true))} />}
        />
      )}
    </div>
  );
}

interface PathsBarProps {
  intent: 'warning' | 'info';
  title: string;
  body: string;
  paths: readonly string[];
  dismiss?: ReactElement;
}

/** One notice: what happened to these copies, then the copies' paths. */
function PathsBar({ intent, title, body, paths, dismiss }: PathsBarProps) {
  const styles = useStyles();
  return (
    <MessageBar intent={intent} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle className={styles.title}>{title}</MessageBarTitle>
        {body}
        <ul className={styles.paths}>
          {paths.map((path) => (
            <li key={path}>{path}</li>
          ))}
        </ul>
      </MessageBarBody>
      {dismiss !== undefined && <MessageBarActions containerAction={dismiss} />}
    </MessageBar>
  );
}
