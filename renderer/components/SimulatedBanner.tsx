import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useWizard } from '../store/context';
import { strings } from '../strings';

/** Shown whenever the app talks to the simulated PC, so nobody mistakes a drill for their real drives. */
export function SimulatedBanner({ className }: { className?: string }) {
  const environment = useWizard((s) => s.environment);
  if (environment?.simulated !== true) return null;
  return (
    <div className={className}>
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{strings.simulated.title}</MessageBarTitle>
          {environment.scenarioName !== null && strings.simulated.scenario(environment.scenarioName)}
        </MessageBarBody>
      </MessageBar>
    </div>
  );
}
