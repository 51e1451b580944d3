import {
  Body1,
  Button,
  Caption1,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  mergeClasses,
  Radio,
  RadioGroup,
  Spinner,
  tokens,
  useId,
} from '@fluentui/react-components';
import {
  ArrowClockwise20Regular,
  Building20Regular,
  ChevronDown16Regular,
  ChevronRight16Regular,
  Document20Regular,
  FolderOpen20Regular,
  Person20Regular,
  Print20Regular,
  Server20Regular,
  UsbStick20Regular,
} from '@fluentui/react-icons';
import { useEffect, useRef, useState, type ReactElement, type ReactNode } from 'react';
import type { BackupOptionsT, DestinationKindT } from '../../preload/contract';
import { ErrorBar } from '../components/ErrorBar';
import { KeyIds } from '../components/KeyIds';
import { Section } from '../components/Section';
import { Clamped, DriveName } from '../components/UserText';
import { WizardPage } from '../components/WizardPage';
import type { FileFormat } from '../store/backup';
import { isLocationError, selectDraftComplete, selectNextBlocker } from '../store/backup-selectors';
import { useWizard } from '../store/context';
import { selectGuidedPosition } from '../store/key-selectors';
import { strings } from '../strings';
import { usbLabel } from '../backup-text';

const text = strings.destination;

const kindIcons: Record<DestinationKindT, ReactElement> = {
  microsoftAccount: <Person20Regular />,
  entra: <Building20Regular />,
  activeDirectory: <Server20Regular />,
  usb: <UsbStick20Regular />,
  file: <Document20Regular />,
  print: <Print20Regular />,
};

/** Destinations that can't apply to this PC's join state: out of the way rather than listed disabled. */
const tuckedAway: ReadonlySet<string> = new Set(['NotEntraJoined', 'NotDomainJoined']);

const useStyles = makeStyles({
  loading: { display: 'flex', justifyContent: 'flex-start', padding: `${tokens.spacingVerticalXXL} 0`, color: tokens.colorNeutralForeground2 },
  radios: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  option: { display: 'flex', flexDirection: 'column' },
  optionLabel: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalS, minWidth: 0, maxWidth: '100%' },
  optionIcon: { display: 'inline-flex', flex: 'none', color: tokens.colorNeutralForeground2 },
  optionText: { minWidth: 0 },
  // Lined up with the text of the radio's label: the indicator and its margins take 36px (Fluent's Radio); an
  // option with an icon adds the icon and its gap.
  reason: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    paddingLeft: '36px',
    paddingBottom: tokens.spacingVerticalXS,
    color: tokens.colorNeutralForeground3,
  },
  reasonUnderIcon: { paddingLeft: `calc(36px + 20px + ${tokens.spacingHorizontalS})` },
  secondary: { color: tokens.colorNeutralForeground2 },
  hint: { color: tokens.colorNeutralForeground3 },
  // Scrolled into view when a choice opens it (AppShell keeps it clear of the footer).
  reveal: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL, scrollMarginTop: tokens.spacingVerticalL },
  revealInCard: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, scrollMarginTop: tokens.spacingVerticalL },
  tucked: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXS },
  tuckedList: {
    margin: 0,
    padding: `0 0 0 ${tokens.spacingHorizontalXXL}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    listStyleType: 'none',
  },
  // `hidden` alone loses to the list's display: flex.
  closed: { display: 'none' },
  tuckedItem: { display: 'flex', flexDirection: 'column', color: tokens.colorNeutralForeground2 },
  nextBlocked: { color: tokens.colorNeutralForeground3 },
  chooser: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalS },
  chosen: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0, maxWidth: '100%' },
  // Paths come from the Save dialog: shown whole, never interpreted, isolated from the text around them.
  path: { overflowWrap: 'anywhere', unicodeBidi: 'isolate' },
});

/** Step 2: which recovery keys, and where they go. */
export function Destination() {
  const styles = useStyles();
  const drive = useWizard((s) => s.selectedDrive);
  const options = useWizard((s) => s.backupOptions);
  const loading = useWizard((s) => s.backupOptionsLoading);
  const error = useWizard((s) => s.backupOptionsError);
  const complete = useWizard(selectDraftComplete);
  const blocker = useWizard(selectNextBlocker);
  const volumes = useWizard((s) => s.volumes);
  const next = useWizard((s) => s.next);
  const back = useWizard((s) => s.back);
  const cancel = useWizard((s) => s.cancel);
  const loadBackupOptions = useWizard((s) => s.loadBackupOptions);
  const blockerId = useId('next-blocked-');
  // A home PC's "back up what isn't" opens this step once per drive: say which one of how many.
  const position = useWizard((s) => {
    const at = selectGuidedPosition(s);
    return at === null ? null : strings.backupMissing.guidedPosition(at.drive, at.of);
  });
  // chooseDrive sets step and drive together, so this page always has one.
  if (drive === null) return null;

  // Options kept from an earlier visit to the same drive stay on screen while they are read again.
  const ready = options !== null && options.mountPoint.toUpperCase() === drive.toUpperCase();
  let content: ReactElement;
  if (error !== null) {
    content = (
      <ErrorBar
        error={error}
        actions={
          <Button appearance="primary" icon={<ArrowClockwise20Regular />} onClick={() => void loadBackupOptions()}>
            {strings.errors.retry}
          </Button>
        }
      />
    );
  } else if (!ready) {
    content = (
      <div className={styles.loading}>
        <Spinner size="small" labelPosition="after" label={text.loading} />
      </div>
    );
  } else if (options.protectors.length === 0) {
    content = (
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{text.noKeys}</MessageBarTitle>
          {text.noKeysBody(drive)}
        </MessageBarBody>
      </MessageBar>
    );
  } else {
    content = (
      <>
        <WhichKeys options={options} />
        <WhereTo options={options} />
        <Details options={options} />
      </>
    );
  }

  const nextEnabled = complete && !loading && error === null;
  return (
    <WizardPage
      title={
        <>
          {text.titlePrefix} <DriveName mountPoint={drive} volumes={volumes} />
        </>
      }
      intro={text.intro}
      onEscape={cancel}
      start={<Button onClick={back}>{strings.wizard.back}</Button>}
      end={
        <>
          {/* A disabled Next says why, beside it and to a screen reader on the button. */}
          {!nextEnabled && blocker !== null && (
            <Caption1 id={blockerId} className={styles.nextBlocked}>
              {text.nextBlocked[blocker]}
            </Caption1>
          )}
          <Button
            appearance="primary"
            disabledFocusable={!nextEnabled}
            aria-describedby={!nextEnabled && blocker !== null ? blockerId : undefined}
            onClick={next}
          >
            {strings.wizard.next}
          </Button>
          <Button onClick={cancel}>{strings.wizard.cancel}</Button>
        </>
      }
    >
      {position !== null && <Body1 className={styles.secondary}>{position}</Body1>}
      {content}
    </WizardPage>
  );
}

/** Scrolls `ref` into view when `key` changes after the first render: the section a choice just opened. */
function useRevealOnChange<T extends HTMLElement>(key: unknown) {
  const ref = useRef<T>(null);
  const previous = useRef(key);
  useEffect(() => {
    if (previous.current === key) return;
    previous.current = key;
    ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [key]);
  return ref;
}

function WhichKeys({ options }: { options: BackupOptionsT }) {
  const styles = useStyles();
  const selected = useWizard((s) => s.selectedKeyIds);
  const toggleKey = useWizard((s) => s.toggleKey);
  const ids = options.protectors.map((p) => p.keyProtectorId);
  return (
    <Section title={text.keysTitle}>
      {(headingId) => (
        <>
          <KeyIds ids={ids} selection={{ selected, onToggle: toggleKey, labelledBy: headingId, hint: text.keysHint }} />
          <Caption1 className={styles.hint}>{strings.drives.keyIdHint}</Caption1>
        </>
      )}
    </Section>
  );
}

type Offer = BackupOptionsT['destinations'][number];

function WhereTo({ options }: { options: BackupOptionsT }) {
  const styles = useStyles();
  const kind = useWizard((s) => s.draft.kind);
  const chooseDestination = useWizard((s) => s.chooseDestination);
  const listed = options.destinations.filter((d) => d.available || d.reason === null || !tuckedAway.has(d.reason));
  const tucked = options.destinations.filter((d) => !listed.includes(d));
  return (
    <Section title={text.whereTitle}>
      {(headingId) => (
        <>
          <RadioGroup
            aria-labelledby={headingId}
            className={styles.radios}
            value={kind ?? ''}
            onChange={(_, data) => {
              const offer = options.destinations.find((d) => d.kind === data.value);
              if (offer !== undefined) chooseDestination(offer.kind);
            }}
          >
            {listed.map((offer) => (
              <DestinationOption key={offer.kind} offer={offer} />
            ))}
          </RadioGroup>
          {tucked.length > 0 && <NotApplicable offers={tucked} />}
        </>
      )}
    </Section>
  );
}

/** The organisation's name beside its directory: the Entra tenant, the Active Directory domain. */
function useDirectoryName(kind: DestinationKindT): string | null {
  return useWizard((s) => (kind === 'entra' ? (s.environment?.tenantName ?? null) : kind === 'activeDirectory' ? (s.environment?.domainName ?? null) : null));
}

function OptionLabel({ kind }: { kind: DestinationKindT }) {
  const styles = useStyles();
  const name = useDirectoryName(kind);
  return (
    <span className={styles.optionLabel}>
      <span className={styles.optionIcon} aria-hidden>
        {kindIcons[kind]}
      </span>
      <span className={styles.optionText}>
        {text.kinds[kind]}
        {name !== null && name.trim() !== '' && (
          <>
            {' '}
            <Clamped text={name} wrap={['(', ')']} />
          </>
        )}
      </span>
    </span>
  );
}

function DestinationOption({ offer }: { offer: Offer }) {
  const styles = useStyles();
  const reasonId = useId('destination-reason-');
  const reason = offer.available ? null : offer.reason;
  return (
    <div className={styles.option}>
      <Radio
        value={offer.kind}
        disabled={!offer.available}
        aria-describedby={reason === null ? undefined : reasonId}
        label={<OptionLabel kind={offer.kind} />}
      />
      {reason !== null && (
        <div className={mergeClasses(styles.reason, styles.reasonUnderIcon)}>
          <Caption1 id={reasonId}>{text.unavailable[reason]}</Caption1>
          {reason === 'NoUsbDrive' && <RefreshButton />}
        </div>
      )}
    </div>
  );
}

/** Destinations for a joined PC, on a PC that isn't: named with the reason, behind one button, not as disabled choices. */
function NotApplicable({ offers }: { offers: Offer[] }) {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const listId = useId('not-applicable-');
  return (
    <div className={styles.tucked}>
      <Button
        appearance="transparent"
        size="small"
        icon={open ? <ChevronDown16Regular /> : <ChevronRight16Regular />}
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen(!open)}
      >
        {text.notApplicable}
      </Button>
      <ul id={listId} className={mergeClasses(styles.tuckedList, !open && styles.closed)} hidden={!open}>
        {offers.map((offer) => (
          <li key={offer.kind} className={styles.tuckedItem}>
            <Body1>{text.kinds[offer.kind]}</Body1>
            {offer.reason !== null && <Caption1>{text.unavailable[offer.reason]}</Caption1>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function RefreshButton() {
  const loading = useWizard((s) => s.backupOptionsLoading);
  const loadBackupOptions = useWizard((s) => s.loadBackupOptions);
  return (
    <Button
      size="small"
      icon={loading ? <Spinner size="extra-tiny" aria-hidden /> : <ArrowClockwise20Regular />}
      disabledFocusable={loading}
      onClick={() => void loadBackupOptions()}
    >
      {text.refresh}
    </Button>
  );
}

/** What the chosen destination still needs: a USB drive, a place for the file, or how to print; brought into view when chosen. */
function Details({ options }: { options: BackupOptionsT }) {
  const styles = useStyles();
  const kind = useWizard((s) => s.draft.kind);
  const ref = useRevealOnChange<HTMLDivElement>(kind);
  let section: ReactNode;
  switch (kind) {
    case 'usb':
      section = <UsbDrives options={options} />;
      break;
    case 'file':
      section = (
        <Section title={text.fileTitle}>
          {() => (
            <>
              <Hint>{text.fileHint}</Hint>
              <FileChooser format="text" />
            </>
          )}
        </Section>
      );
      break;
    case 'print':
      section = <PrintMode />;
      break;
    default:
      return null;
  }
  return (
    <div ref={ref} className={styles.reveal}>
      {section}
    </div>
  );
}

function Hint({ children }: { children: string }) {
  const styles = useStyles();
  return <Body1 className={styles.secondary}>{children}</Body1>;
}

function UsbDrives({ options }: { options: BackupOptionsT }) {
  const styles = useStyles();
  const target = useWizard((s) => s.draft.usbTarget);
  const chooseUsb = useWizard((s) => s.chooseUsb);
  return (
    <Section title={text.usbTitle}>
      {(headingId) => (
        <>
          <RadioGroup aria-labelledby={headingId} className={styles.radios} value={target ?? ''} onChange={(_, data) => chooseUsb(data.value)}>
            {options.usbDrives.map((usb) => (
              <UsbOption key={usb.mountPoint} usb={usb} />
            ))}
          </RadioGroup>
          <div>
            <RefreshButton />
          </div>
        </>
      )}
    </Section>
  );
}

function UsbOption({ usb }: { usb: BackupOptionsT['usbDrives'][number] }) {
  const styles = useStyles();
  const reasonId = useId('usb-reason-');
  const reason = usb.usable ? null : usb.reason;
  return (
    <div className={styles.option}>
      <Radio
        value={usb.mountPoint}
        disabled={!usb.usable}
        aria-describedby={reason === null ? undefined : reasonId}
        label={
          <>
            <Clamped text={usbLabel(usb)} />
            {text.usbAfterLabel(usb.mountPoint, usb.freeSpaceBytes)}
          </>
        }
      />
      {reason !== null && (
        <div className={styles.reason}>
          <Caption1 id={reasonId}>{text.usbUnavailable[reason]}</Caption1>
        </div>
      )}
    </div>
  );
}

function PrintMode() {
  const styles = useStyles();
  const mode = useWizard((s) => s.draft.printMode);
  const choosePrintMode = useWizard((s) => s.choosePrintMode);
  const ref = useRevealOnChange<HTMLDivElement>(mode);
  return (
    <Section title={text.printTitle}>
      {(headingId) => (
        <>
          <RadioGroup
            aria-labelledby={headingId}
            className={styles.radios}
            value={mode}
            onChange={(_, data) => choosePrintMode(data.value === 'pdf' ? 'pdf' : 'print')}
          >
            <Radio value="print" label={text.printModes.print} />
            <Radio value="pdf" label={text.printModes.pdf} />
          </RadioGroup>
          {mode === 'pdf' && (
            <div ref={ref} className={styles.revealInCard}>
              <Hint>{text.pdfHint}</Hint>
              <FileChooser format="pdf" />
            </div>
          )}
        </>
      )}
    </Section>
  );
}

/** "Choose where to save…", why the place chosen can't be used, or where the file will go. */
function FileChooser({ format }: { format: FileFormat }) {
  const styles = useStyles();
  const files = useWizard((s) => (format === 'text' ? s.draft.fileTargets : null));
  const pdf = useWizard((s) => (format === 'pdf' ? s.draft.pdfTarget : null));
  const error = useWizard((s) => (s.fileError?.format === format ? s.fileError.error : null));
  const choosing = useWizard((s) => s.choosingFile === format);
  const chooseFileTargets = useWizard((s) => s.chooseFileTargets);
  const targets = files ?? (pdf === null ? [] : [pdf]);
  return (
    <div className={styles.chooser}>
      <Button
        icon={choosing ? <Spinner size="extra-tiny" aria-hidden /> : <FolderOpen20Regular />}
        disabledFocusable={choosing}
        onClick={() => void chooseFileTargets(format)}
      >
        {text.chooseFile}
      </Button>
      {error !== null && <ErrorBar error={error} details={!isLocationError(error.code)} />}
      {targets.length > 0 && (
        <div className={styles.chosen}>
          <Caption1 className={styles.secondary}>{text.savesTo}</Caption1>
          {targets.map((t) => (
            <Body1 key={t.path} className={styles.path}>
              {t.path}
            </Body1>
          ))}
        </div>
      )}
    </div>
  );
}
