// @vitest-environment happy-dom
import { webLightTheme } from '@fluentui/react-components';
import {
  CheckmarkCircle20Filled,
  CheckmarkCircle48Regular,
  Clock20Filled,
  Clock48Regular,
  DismissCircle20Filled,
  DismissCircle48Regular,
  Warning20Filled,
  Warning48Regular,
} from '@fluentui/react-icons';
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import type { ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupOutcomeT, BackupReportT, ErrorCodeT } from '../../preload/contract';
import { fail, ok } from '../testing/fake-bridge';
import { backupOptions, outcome, RECOVERY, RECOVERY_2, report, STARTED_AT } from '../testing/fixtures';
import { announced, isDisabled, renderWithStore } from '../testing/render';
import { atDestination, settle } from '../testing/wizard';
import { Result } from './Result';

afterEach(cleanup);

const everywhere = backupOptions({
  protectors: [RECOVERY, RECOVERY_2],
  destinations: (['microsoftAccount', 'entra', 'activeDirectory', 'usb', 'file', 'print'] as const).map((kind) => ({ kind, available: true, reason: null })),
});

/** The result step showing `shown`, reached by a real run to the same destination. */
async function result(shown: BackupReportT) {
  const setup = await atDestination({ backupOptions: everywhere });
  const s = setup.store.getState();
  const kind = shown.destination === 'pdf' ? 'print' : shown.destination;
  s.chooseDestination(kind);
  if (shown.destination === 'pdf') s.choosePrintMode('pdf');
  if (kind === 'file') await s.chooseFileTargets('text');
  if (shown.destination === 'pdf') await s.chooseFileTargets('pdf');
  setup.store.getState().next();
  setup.fake.runBackup.mockResolvedValueOnce(ok(shown));
  await setup.store.getState().runBackup();
  expect(setup.store.getState().step).toBe('result');
  renderWithStore(<Result />, setup.store);
  return setup;
}

const heading = () => screen.getByRole('heading', { level: 1 }).textContent;
const row = (shortId: string) => screen.getByRole('group', { name: `Recovery key ID ${shortId}` });
const error = (code: ErrorCodeT, message = 'It failed.', hresult: string | null = null) => ({ code, message, hresult });
/**
 * What the user sees of a mark (the page's or a row's): which icon is drawn, recognised by its SVG path, and in
 * which colour, as the browser computes it from the theme. Text alone can't tell a failure from a success look.
 */
const ICONS: Record<string, ComponentType> = {
  check: CheckmarkCircle20Filled,
  dismiss: DismissCircle20Filled,
  warning: Warning20Filled,
  clock: Clock20Filled,
  'check (large)': CheckmarkCircle48Regular,
  'dismiss (large)': DismissCircle48Regular,
  'warning (large)': Warning48Regular,
  'clock (large)': Clock48Regular,
};
const pathsOf = (markup: string) => [...markup.matchAll(/ d="([^"]+)"/g)].map((m) => m[1]).join(' ');
const iconByPaths = new Map(Object.entries(ICONS).map(([name, Icon]) => [pathsOf(renderToStaticMarkup(<Icon />)), name]));
const COLOURS: Record<string, string> = {
  green: webLightTheme.colorPaletteGreenForeground1,
  red: webLightTheme.colorPaletteRedForeground1,
  orange: webLightTheme.colorPaletteDarkOrangeForeground1,
  blue: webLightTheme.colorBrandForeground1,
};
function lookOf(container: HTMLElement): { icon: string; colour: string } {
  const svgs = container.querySelectorAll('svg');
  expect(svgs).toHaveLength(1);
  const svg = svgs[0]!;
  const colour = getComputedStyle(svg).color.toLowerCase();
  return {
    icon: iconByPaths.get(pathsOf(svg.outerHTML)) ?? 'unknown icon',
    colour: Object.entries(COLOURS).find(([, value]) => value.toLowerCase() === colour)?.[0] ?? `unexpected ${colour}`,
  };
}
/** The mark beside the page's heading, and the mark at the start of a key's row. */
const pageLook = () => lookOf(screen.getByRole('heading', { level: 1 }).closest('header')!.querySelector<HTMLElement>(':scope > [aria-hidden]')!);
const rowLook = (shortId: string) => lookOf(row(shortId).querySelector<HTMLElement>(':scope > [aria-hidden]')!);

/** An ISO time that reads 10:42 on this machine's clock. */
const at1042 = new Date(2025, 2, 14, 10, 42, 7).toISOString();

describe('Result', () => {
  it('says it is backed up, with the file that was read back', async () => {
    await result(report({ destination: 'file', outcomes: [outcome({ path: 'E:\\Keys\\BitLocker Recovery Key 8A696888.TXT' })] }));
    expect(heading()).toBe('Your recovery key is backed up');
    expect(within(row('8A696888')).getByText('Saved to E:\\Keys\\BitLocker Recovery Key 8A696888.TXT, read back and verified')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Check again' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('says the printout went to the printer', async () => {
    await result(report({ destination: 'print', outcomes: [outcome({ status: 'printed', path: null })] }));
    expect(within(row('8A696888')).getByText('Sent to the printer')).toBeTruthy();
  });

  it.each([
    ['entra', 845, 'Microsoft Entra ID confirmed the backup at 10:42 (event 845)'],
    ['activeDirectory', 784, 'Active Directory confirmed the backup at 10:42 (event 784)'],
    ['microsoftAccount', 828, 'Your Microsoft account confirmed the backup at 10:42 (event 828)'],
  ] as const)('shows the %s confirmation with its local time and event', async (destination, id, text) => {
    await result(report({ destination, outcomes: [outcome({ status: 'confirmed', path: null, event: { id, time: at1042 } })] }));
    expect(heading()).toBe('Your recovery key is backed up');
    expect(within(row('8A696888')).getByText(text)).toBeTruthy();
  });

  it('points to where Microsoft account keys can be seen, as text rather than a link', async () => {
    await result(report({ destination: 'microsoftAccount', outcomes: [outcome({ status: 'confirmed', path: null, event: { id: 828, time: at1042 } })] }));
    expect(screen.getByText('See the keys stored in your Microsoft account at https://aka.ms/myrecoverykey')).toBeTruthy();
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('says Active Directory already had the key', async () => {
    await result(report({ destination: 'activeDirectory', outcomes: [outcome({ status: 'alreadyPresent', path: null, event: { id: 783, time: at1042 } })] }));
    expect(heading()).toBe('Your recovery key is backed up');
    expect(within(row('8A696888')).getByText('Active Directory already had this recovery key (event 783)')).toBeTruthy();
  });

  it('says "Sent, not yet confirmed" and checks again from the start of the backup', async () => {
    const { fake } = await result(report({ destination: 'entra', outcomes: [outcome({ status: 'sentNotConfirmed', path: null })] }));
    expect(heading()).toBe('Sent, not yet confirmed');
    expect(within(row('8A696888')).getByText("Sent, but Windows hasn't confirmed it yet. It can take a few minutes.")).toBeTruthy();
    fake.checkBackup.mockResolvedValueOnce(
      ok(report({ destination: 'entra', outcomes: [outcome({ status: 'confirmed', path: null, event: { id: 845, time: at1042 } })] })),
    );
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
      fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
      await settle();
    });
    expect(fake.checkBackup).toHaveBeenCalledOnce();
    expect(fake.checkBackup).toHaveBeenCalledWith({ mountPoint: 'C:', keyProtectorIds: [RECOVERY.keyProtectorId], destination: 'entra', since: STARTED_AT });
    expect(heading()).toBe('Your recovery key is backed up');
    expect(screen.getByText('Microsoft Entra ID confirmed the backup at 10:42 (event 845)')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Check again' })).toBeNull();
  });

  it('shows why "Check again" failed and keeps the button', async () => {
    const { fake } = await result(report({ destination: 'activeDirectory', outcomes: [outcome({ status: 'sentNotConfirmed', path: null })] }));
    fake.checkBackup.mockResolvedValueOnce(fail('Timeout', 'Get-WinEvent did not answer.'));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
      await settle();
    });
    expect(screen.getByText('Windows took too long to answer')).toBeTruthy();
    expect(screen.getByText('Details: Get-WinEvent did not answer. (Timeout)')).toBeTruthy();
    expect(isDisabled(screen.getByRole('button', { name: 'Check again' }))).toBe(false);
  });

  it('says printing was cancelled, and Retry prints again', async () => {
    const { fake } = await result(report({ destination: 'print', outcomes: [outcome({ status: 'cancelled', path: null })] }));
    expect(heading()).toBe("Your recovery key wasn't backed up");
    expect(within(row('8A696888')).getByText('Printing was cancelled')).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
      await settle();
    });
    expect(fake.runBackup).toHaveBeenCalledTimes(2);
    expect(fake.runBackup.mock.calls[1]?.[0].destination).toEqual({ kind: 'print' });
  });

  it.each([
    ['EntraNotJoined', 'entra', "This PC isn't joined to Microsoft Entra ID", 'Ask your IT support to join it, or choose another way to back up.'],
    ['NetworkUnavailable', 'entra', "Windows couldn't reach Microsoft Entra ID", 'Check the internet connection, then try again.'],
    ['NetworkUnavailable', 'activeDirectory', "Windows couldn't reach a domain controller", "Connect to your organization's network (or its VPN), then try again."],
    ['PolicyForbids', 'activeDirectory', "Group Policy doesn't allow storing recovery keys in Active Directory", 'Ask your IT support, or choose another way.'],
    ['VolumeLocked', 'usb', 'That drive is locked', 'Unlock the drive, then try again.'],
    ['ProtectorNotFound', 'file', 'This recovery key no longer exists on the drive', 'It may have been removed or replaced. Read the drives again, then choose the drive again.'],
    ['VerifyFailed', 'usb', "The saved file didn't match the recovery key", "Don't rely on that file. Try again, or choose another place."],
  ] as const)('explains %s (%s) with a next step and the details', async (code, destination, title, body) => {
    await result(report({ destination, outcomes: [outcome({ status: 'failed', path: null, error: error(code, 'Windows said no.', '0x80072F8F') })] }));
    expect(heading()).toBe("Your recovery key wasn't backed up");
    const r = within(row('8A696888'));
    expect(r.getByText(title)).toBeTruthy();
    expect(r.getByText(body)).toBeTruthy();
    expect(r.getByText(`Details: Windows said no. (${code}, 0x80072F8F)`)).toBeTruthy();
  });

  it('shows a refused run (BackupInProgress) as a failure for every chosen key', async () => {
    const setup = await atDestination({ backupOptions: everywhere });
    setup.store.getState().chooseDestination('activeDirectory');
    setup.store.getState().next();
    setup.fake.runBackup.mockResolvedValueOnce(fail('BackupInProgress', 'Another backup is running.'));
    await setup.store.getState().runBackup();
    renderWithStore(<Result />, setup.store);
    expect(heading()).toBe("Your recovery key wasn't backed up");
    for (const id of ['8A696888', '1F2E3D4C']) {
      expect(within(row(id)).getByText('Another backup is still running')).toBeTruthy();
      expect(within(row(id)).getByText('Details: Another backup is running. (BackupInProgress)')).toBeTruthy();
    }
  });

  it('says some keys were not backed up when the outcomes differ', async () => {
    await result(
      report({
        destination: 'file',
        outcomes: [outcome(), outcome({ keyProtectorId: RECOVERY_2.keyProtectorId, status: 'failed', path: null, error: error('NotEnoughSpace') })],
      }),
    );
    expect(heading()).toBe("Some recovery keys weren't backed up");
    expect(within(row('1F2E3D4C')).getByText("There isn't enough free space")).toBeTruthy();
  });

  it('offers "Replace it" after FileExists on a USB drive, which runs again replacing the file', async () => {
    const { fake } = await result(report({ destination: 'usb', outcomes: [outcome({ status: 'failed', path: null, error: error('FileExists', 'F:\\BitLocker Recovery Key 8A696888.TXT exists.') })] }));
    expect(within(row('8A696888')).getByText('A file with this name already exists')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Replace it' }));
      await settle();
    });
    expect(fake.runBackup.mock.calls[1]?.[0].destination).toEqual({ kind: 'usb', target: 'F:', replace: true });
    expect(heading()).toBe('Your recovery key is backed up');
  });

  it('"Back up another way" returns to the destination with the keys kept; "Finish" reads the drives again', async () => {
    const { store, fake } = await result(report({ destination: 'print', outcomes: [outcome({ status: 'printed', path: null })] }));
    fireEvent.click(screen.getByRole('button', { name: 'Back up another way' }));
    expect(store.getState()).toMatchObject({ step: 'destination', selectedKeyIds: [RECOVERY.keyProtectorId, RECOVERY_2.keyProtectorId], draft: { kind: null } });
    cleanup();

    store.getState().chooseDestination('print');
    store.getState().next();
    await store.getState().runBackup();
    renderWithStore(<Result />, store);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Finish' }));
      await settle();
    });
    expect(store.getState()).toMatchObject({ step: 'drives', report: null });
    expect(fake.listVolumes).toHaveBeenCalledTimes(2);
  });

  describe('a failed result never looks like success', () => {
    const SUCCESS = { icon: 'check', colour: 'green' };
    const FAILURE = { icon: 'dismiss', colour: 'red' };

    it.each([
      ['verified', 'file', SUCCESS],
      ['printed', 'print', SUCCESS],
      ['confirmed', 'entra', SUCCESS],
      ['alreadyPresent', 'activeDirectory', SUCCESS],
      ['sentNotConfirmed', 'entra', { icon: 'clock', colour: 'blue' }],
      ['cancelled', 'print', { icon: 'warning', colour: 'orange' }],
      ['failed', 'file', FAILURE],
      ['failed', 'usb', FAILURE],
      ['failed', 'entra', FAILURE],
    ] as const)('a %s row (%s) shows the %j mark', async (status, destination, look) => {
      const shown: Partial<BackupOutcomeT> =
        status === 'failed'
          ? { status, path: null, error: error('WriteFailed') }
          : { status, path: status === 'verified' ? 'E:\\k.TXT' : null, event: status === 'confirmed' || status === 'alreadyPresent' ? { id: 845, time: at1042 } : null };
      await result(report({ destination, outcomes: [outcome(shown)] }));
      expect(rowLook('8A696888')).toEqual(look);
    });

    it.each([
      ['every key backed up', [outcome()], { icon: 'check (large)', colour: 'green' }],
      ['every key failed', [outcome({ status: 'failed', path: null, error: error('VerifyFailed') })], { icon: 'dismiss (large)', colour: 'red' }],
      ['a failure without an error', [outcome({ status: 'failed', path: null, error: null })], { icon: 'dismiss (large)', colour: 'red' }],
      ['some keys failed', [outcome(), outcome({ keyProtectorId: RECOVERY_2.keyProtectorId, status: 'failed', path: null, error: error('NotEnoughSpace') })], { icon: 'warning (large)', colour: 'orange' }],
    ] as const)('the page shows "%s" with the matching mark', async (_name, outcomes, look) => {
      await result(report({ destination: 'file', outcomes: [...outcomes] }));
      expect(pageLook()).toEqual(look);
    });

    it('a failed key beside a verified one: each row keeps its own look', async () => {
      await result(
        report({
          destination: 'file',
          outcomes: [outcome(), outcome({ keyProtectorId: RECOVERY_2.keyProtectorId, status: 'failed', path: null, error: error('VerifyFailed') })],
        }),
      );
      expect(rowLook('8A696888')).toEqual(SUCCESS);
      expect(rowLook('1F2E3D4C')).toEqual(FAILURE);
      expect(within(row('1F2E3D4C')).queryByText(/read back and verified/)).toBeNull();
    });

    it('a sent-but-unconfirmed page is pending, not success', async () => {
      await result(report({ destination: 'entra', outcomes: [outcome({ status: 'sentNotConfirmed', path: null })] }));
      expect(pageLook()).toEqual({ icon: 'clock (large)', colour: 'blue' });
    });
  });
});

describe('Result: honest words and the way forward', () => {
  /** Fluent's primary look: the brand background, as the browser computes it from the theme. */
  const isPrimary = (name: string) =>
    getComputedStyle(screen.getByRole('button', { name })).backgroundColor.toLowerCase() === webLightTheme.colorBrandBackground.toLowerCase();
  const footerButtons = () => within(screen.getByRole('heading', { level: 1 }).closest('section')!.querySelector('footer')!).getAllByRole('button').map((b) => b.textContent);

  it('never says "Sent" for the Microsoft account, where the app sent nothing, and offers Check again first', async () => {
    await result(report({ destination: 'microsoftAccount', outcomes: [outcome({ status: 'sentNotConfirmed', path: null })] }));
    expect(heading()).toBe("Windows hasn't reported a backup yet");
    expect(
      within(row('8A696888')).getByText(
        "Windows hasn't reported a backup to your Microsoft account. If you finished the steps in the BitLocker window, select Check again.",
      ),
    ).toBeTruthy();
    expect(screen.queryByText(/\bSent\b/)).toBeNull();
    expect(screen.getByText(/^Last checked at \d{2}:\d{2}:\d{2}$/)).toBeTruthy();
    expect(footerButtons()).toEqual(['Back up another way', 'Check again', 'Finish']);
    expect(isPrimary('Check again')).toBe(true);
    expect(isPrimary('Finish')).toBe(false);
  });

  it('names Settings when Windows Home sent the user there', async () => {
    const setup = await atDestination({ backupOptions: everywhere });
    setup.store.getState().chooseDestination('microsoftAccount');
    setup.store.getState().next();
    let finish: (value: Awaited<ReturnType<typeof setup.fake.runBackup>>) => void = () => {};
    setup.fake.runBackup.mockReturnValueOnce(new Promise((resolve) => (finish = resolve)));
    const running = setup.store.getState().runBackup();
    setup.fake.emitProgress({ stage: 'inDeviceEncryption' });
    finish(ok(report({ destination: 'microsoftAccount', outcomes: [outcome({ status: 'sentNotConfirmed', path: null })] })));
    await running;
    renderWithStore(<Result />, setup.store);
    expect(within(row('8A696888')).getByText(/If you finished the steps in Settings, select Check again\.$/)).toBeTruthy();
  });

  it('shows when it last checked, to the second', async () => {
    const { store } = await result(report({ destination: 'entra', outcomes: [outcome({ status: 'sentNotConfirmed', path: null })] }));
    const first = screen.getByText(/^Last checked at /).textContent;
    expect(first).toBe(`Last checked at ${new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(store.getState().lastCheckedAt!))}`);
  });

  it('makes Retry the primary button after a failure that may pass next time, never Finish', async () => {
    await result(report({ destination: 'usb', outcomes: [outcome({ status: 'failed', path: null, error: error('WriteFailed') })] }));
    expect(footerButtons()).toEqual(['Back up another way', 'Retry', 'Finish']);
    expect(isPrimary('Retry')).toBe(true);
    expect(isPrimary('Finish')).toBe(false);
  });

  it('offers no Retry for a file, whose place is good for one run: "Back up another way" chooses it again', async () => {
    await result(report({ destination: 'file', outcomes: [outcome({ status: 'failed', path: null, error: error('WriteFailed') })] }));
    expect(footerButtons()).toEqual(['Back up another way', 'Finish']);
    expect(isPrimary('Back up another way')).toBe(true);
  });

  it('makes "Back up another way" the primary button when the same backup cannot work', async () => {
    await result(report({ destination: 'entra', outcomes: [outcome({ status: 'failed', path: null, error: error('EntraNotJoined') })] }));
    expect(footerButtons()).toEqual(['Back up another way', 'Finish']);
    expect(isPrimary('Back up another way')).toBe(true);
    expect(isPrimary('Finish')).toBe(false);
  });

  it('keeps Finish primary on success, with Windows’ advice to keep another copy', async () => {
    await result(report({ destination: 'file', outcomes: [outcome()] }));
    expect(footerButtons()).toEqual(['Back up another way', 'Finish']);
    expect(isPrimary('Finish')).toBe(true);
    expect(screen.getByText("It's a good idea to keep more than one copy, each in a safe place away from this PC.")).toBeTruthy();
  });

  it('says where an Entra ID backup can be seen', async () => {
    await result(report({ destination: 'entra', outcomes: [outcome({ status: 'confirmed', path: null, event: { id: 845, time: at1042 } })] }));
    expect(screen.getByText(/https:\/\/myaccount\.microsoft\.com\/device-list/)).toBeTruthy();
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('announces the result as it appears, and again after Check again', async () => {
    const { fake } = await result(report({ destination: 'activeDirectory', outcomes: [outcome({ status: 'sentNotConfirmed', path: null })] }));
    expect(announced().polite).toMatch(/^Sent, not yet confirmed\. Sent, but Windows hasn't confirmed it yet\. It can take a few minutes\. Last checked at \d{2}:\d{2}:\d{2}\.$/);
    fake.checkBackup.mockResolvedValueOnce(ok(report({ destination: 'activeDirectory', outcomes: [outcome({ status: 'confirmed', path: null, event: { id: 784, time: at1042 } })] })));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
      await settle();
    });
    expect(announced().polite).toBe('Your recovery key is backed up. Active Directory confirmed the backup at 10:42 (event 784).');
  });

  it('focuses its heading when it appears', async () => {
    await result(report());
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
  });
});
