import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { WizardProvider } from '../store/context';
import type { WizardStore } from '../store/wizard';

/** Renders as main.tsx does, against the given store. */
export function renderWithStore(ui: ReactElement, store: WizardStore) {
  return render(
    <FluentProvider theme={webLightTheme}>
      <WizardProvider store={store}>{ui}</WizardProvider>
    </FluentProvider>,
  );
}
