import { Body1, Button, MessageBar, MessageBarBody, Spinner } from '@fluentui/react-components';
import { PersonShield48Regular, Shield20Regular } from '@fluentui/react-icons';
import { StatusPage } from '../components/StatusPage';
import { useWizard } from '../store/context';
import { strings } from '../strings';

export function AdminRequiredPage() {
  const elevation = useWizard((s) => s.elevation);
  const restartElevated = useWizard((s) => s.restartElevated);
  const requesting = elevation === 'requesting';
  return (
    <StatusPage
      icon={<PersonShield48Regular />}
      title={strings.notElevated.title}
      actions={
        <Button
          appearance="primary"
          size="large"
          icon={requesting ? <Spinner size="extra-tiny" /> : <Shield20Regular />}
          disabledFocusable={requesting}
          onClick={() => void restartElevated()}
        >
          {strings.notElevated.restart}
        </Button>
      }
    >
      <Body1>{strings.notElevated.body}</Body1>
      {elevation === 'declined' && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{strings.notElevated.declined}</MessageBarBody>
        </MessageBar>
      )}
    </StatusPage>
  );
}
