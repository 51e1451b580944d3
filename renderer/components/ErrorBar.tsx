import { Caption1, makeStyles, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { AppErrorT } from '../../preload/contract';
import { errorMessage, strings } from '../strings';
import { sentence, useAnnouncement } from './Announcer';

const useStyles = makeStyles({
  title: { display: 'block', marginBottom: tokens.spacingVerticalXS },
  details: { display: 'block', marginTop: tokens.spacingVerticalS, color: tokens.colorNeutralForeground3, wordBreak: 'break-word' },
});

interface ErrorBarProps {
  error: AppErrorT;
  /** Off when the body already says all the details would (the location rules). */
  details?: boolean;
  actions?: ReactNode;
  /** Words of the action's own for this failure, instead of the code's general ones. */
  message?: { title: string; body: string };
}

/** An error in place, as the error page shows one: what happened, what to do, the details; announced as it appears. */
export function ErrorBar({ error, details = true, actions, message }: ErrorBarProps) {
  const styles = useStyles();
  const { title, body } = message ?? errorMessage(error.code);
  useAnnouncement(sentence(title, body), 'assertive');
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle className={styles.title}>{title}</MessageBarTitle>
        {body}
        {details && <Caption1 className={styles.details}>{strings.errors.details(error.code, error.hresult, error.message)}</Caption1>}
      </MessageBarBody>
      {actions !== undefined && <MessageBarActions>{actions}</MessageBarActions>}
    </MessageBar>
  );
}
