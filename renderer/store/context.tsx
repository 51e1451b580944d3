import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { WizardState, WizardStore } from './wizard';

const WizardContext = createContext<WizardStore | null>(null);

/** Hands the store down, so each test can render against a fresh one. */
export function WizardProvider({ store, children }: { store: WizardStore; children: ReactNode }) {
  return <WizardContext value={store}>{children}</WizardContext>;
}

export function useWizard<T>(selector: (state: WizardState) => T): T {
  const store = useContext(WizardContext);
  if (store === null) throw new Error('useWizard needs a WizardProvider above it');
  return useStore(store, selector);
}
