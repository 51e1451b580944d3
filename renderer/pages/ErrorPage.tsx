import {
  Button,
  Caption1,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  tokens,
} from '@fluentui/react-components';
import { ArrowClockwise20Regular } from '@fluentui/react-icons';
import { useWizard } from '../store/context';
import { errorMessage, strings } from '../strings';

const useStyles = makeStyles({
  page: { paddingTop: tokens.spacingVerticalXXL },
  title: { display: 'block', marginBottom: tokens.spacingVerticalXS },
  details: { display: 'block', marginTop: tokens.spacingVerticalS, color: tokens.colorNeutralForeground3, wordBreak: 'break-word' },
});

/** What happened (title), what to do (body) and the technical details a helpdesk asks for. */
export function ErrorPage() {
  const styles = useStyles();
  const error = useWizard((s) => s.error);
  const retry = useWizard((s) => s.retry);
  if (error === null) return null;
  const { title, body } = errorMessage(error.code);
  return (
    <div className={styles.page}>
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle className={styles.title}>{title}</MessageBarTitle>
          {body}
          <Caption1 className={styles.details}>{strings.errors.details(error.code, error.hresult, error.message)}</Caption1>
        </MessageBarBody>
        <MessageBarActions>
          <Button appearance="primary" icon={<ArrowClockwise20Regular />} onClick={() => void retry()}>
            {strings.errors.retry}
          </Button>
        </MessageBarActions>
      </MessageBar>
    </div>
  );
}
