import { AnnounceProvider, FluentProvider, webLightTheme } from '@fluentui/react-components';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { WizardProvider } from '../store/context';
import type { WizardStore } from '../store/wizard';

/** What the app asked Fluent's announcer to say since the last render, in order. */
const announcements: { message: string; alert: boolean }[] = [];
const recorder = {
  announce: (message: string, options?: { alert?: boolean }) => {
    announcements.push({ message, alert: options?.alert === true });
  },
};

/**
 * Renders as main.tsx does, against the given store; what would be announced to screen readers (main.tsx's
 * AriaLiveAnnouncer) is recorded instead, for `announced()`.
 */
export function renderWithStore(ui: ReactElement, store: WizardStore) {
  announcements.length = 0;
  return render(
    <FluentProvider theme={webLightTheme}>
      <AnnounceProvider value={recorder}>
        <WizardProvider store={store}>{ui}</WizardProvider>
      </AnnounceProvider>
    </FluentProvider>,
  );
}

/** The last polite and the last urgent announcement ('' when none), and all of them in order. */
export function announced(): { polite: string; assertive: string; all: string[] } {
  const last = (alert: boolean) => announcements.filter((a) => a.alert === alert).at(-1)?.message ?? '';
  return { polite: last(false), assertive: last(true), all: announcements.map((a) => a.message) };
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
