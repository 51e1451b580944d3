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

/** Disabled either way Fluent does it: `disabled`, or `aria-disabled` for buttons that keep focus. */
export function isDisabled(element: HTMLElement): boolean {
  return element.hasAttribute('disabled') || element.getAttribute('aria-disabled') === 'true';
}

/** The text of the elements an element's aria-describedby points to. */
export function description(element: HTMLElement): string {
  const ids = element.getAttribute('aria-describedby')?.split(/\s+/) ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}
