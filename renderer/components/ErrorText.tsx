import { Body1, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import type { AppErrorT } from '../../preload/contract';
import { strings } from '../strings';

const useStyles = makeStyles({
  text: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  body: { color: tokens.colorNeutralForeground2 },
  details: { color: tokens.colorNeutralForeground3, wordBreak: 'break-word' },
});

/** What happened, what to do, and (unless it would only repeat the body) the details a helpdesk asks for. */
export function ErrorText({ error, message, details = true }: { error: AppErrorT; message: { title: string; body: string }; details?: boolean }) {
  const styles = useStyles();
  return (
    <span className={styles.text}>
      <Body1>{message.title}</Body1>
      <Body1 className={styles.body}>{message.body}</Body1>
      {details && <Caption1 className={styles.details}>{strings.errors.details(error.code, error.hresult, error.message)}</Caption1>}
    </span>
  );
}
