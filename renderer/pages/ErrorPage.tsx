import { Body1, Button, Caption1, makeStyles, tokens, useId } from '@fluentui/react-components';
import { ArrowClockwise20Regular, ErrorCircle48Regular } from '@fluentui/react-icons';
import { sentence, useAnnouncement } from '../components/Announcer';
import { StatusPage } from '../components/StatusPage';
import { useWizard } from '../store/context';
import { errorMessage, strings } from '../strings';

const useStyles = makeStyles({
  icon: { color: tokens.colorPaletteRedForeground1 },
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  details: { color: tokens.colorNeutralForeground3, wordBreak: 'break-word' },
});

/** What happened (the h1), what to do (body) and the technical details a helpdesk asks for; announced as it appears. */
export function ErrorPage() {
  const styles = useStyles();
  const titleId = useId('error-title-');
  const error = useWizard((s) => s.error);
  const retry = useWizard((s) => s.retry);
  const message = error === null ? null : errorMessage(error.code);
  useAnnouncement(message === null ? null : sentence(message.title, message.body), 'assertive');
  if (error === null || message === null) return null;
  return (
    <StatusPage
      icon={<ErrorCircle48Regular />}
      iconClassName={styles.icon}
      title={message.title}
      titleId={titleId}
      actions={
        <Button appearance="primary" icon={<ArrowClockwise20Regular />} onClick={() => void retry()}>
          {strings.errors.retry}
        </Button>
      }
    >
      {/* Named by the title, so the error reads as one group: what happened, what to do, the details. */}
      <div role="group" aria-labelledby={titleId} className={styles.group}>
        <Body1>{message.body}</Body1>
        <Caption1 className={styles.details}>{strings.errors.details(error.code, error.hresult, error.message)}</Caption1>
      </div>
    </StatusPage>
  );
}
