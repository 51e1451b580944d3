import { createWizardStore } from '../store/wizard';
import { installFakeBridge } from './fake-bridge';

/** Lets the fake bridge's already-settled answers reach the store. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A store that has read the PC, with `drive` chosen and its backup options read: the destination step. */
export async function atDestination(pc: Parameters<typeof installFakeBridge>[0] = {}, drive = 'C:') {
  const fake = installFakeBridge(pc);
  const store = createWizardStore();
  await store.getState().load();
  store.getState().chooseDrive(drive);
  await settle();
  return { fake, store };
}
