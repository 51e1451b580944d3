import {
  Body1,
  Button,
  Caption1,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Spinner,
  tokens,
  useId,
} from '@fluentui/react-components';
import {
  ArrowClockwise20Regular,
  Building20Regular,
  Document20Regular,
  FolderOpen20Regular,
  Person20Regular,
  Print20Regular,
  Server20Regular,
  UsbStick20Regular,
} from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import type { BackupOptionsT, DestinationKindT } from '../../preload/contract';
import { ErrorBar } from '../components/ErrorBar';
import { KeyIds } from '../components/KeyIds';
import { Section } from '../components/Section';
import { WizardPage } from '../components/WizardPage';
import type { FileFormat } from '../store/backup';
import { isLocationError, selectDraftComplete } from '../store/backup-selectors';
import { useWizard } from '../store/context';
import { strings } from '../strings';
import { usbName } from '../backup-text';

const text = strings.destination;

const kindIcons: Record<DestinationKindT, ReactElement> = {
  microsoftAccount: <Person20Regular />,
  entra: <Building20Regular />,
  activeDirectory: <Server20Regular />,
  usb: <UsbStick20Regular />,
  file: <Document20Regular />,
  print: <Print20Regular />,
};

const useStyles = makeStyles({
  loading: { display: 'flex', justifyContent: 'flex-start', padding: `${tokens.spacingVerticalXXL} 0`, color: tokens.colorNeutralForeground2 },
  radios: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  option: { display: 'flex', flexDirection: 'column' },
  optionLabel: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  optionIcon: { display: 'inline-flex', color: tokens.colorNeutralForeground2 },
  // Lined up under the radio's label: the indicator and its margins take 36px.
  reason: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    paddingLeft: '36px',
    paddingBottom: tokens.spacingVerticalXS,
    color: tokens.colorNeutralForeground3,
  },
  secondary: { color: tokens.colorNeutralForeground2 },
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
  const next = useWizard((s) => s.next);
  const back = useWizard((s) => s.back);
  const cancel = useWizard((s) => s.cancel);
  const loadBackupOptions = useWizard((s) => s.loadBackupOptions);
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
          {text.noKeysBody}
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

  return (
    <WizardPage
      title={text.title(drive)}
      start={<Button onClick={back}>{strings.wizard.back}</Button>}
      end={
        <>
          <Button appearance="primary" disabled={!complete || loading || error !== null} onClick={next}>
            {strings.wizard.next}
          </Button>
          <Button onClick={cancel}>{strings.wizard.cancel}</Button>
        </>
      }
    >
      {content}
    </WizardPage>
  );
}

function WhichKeys({ options }: { options: BackupOptionsT }) {
  const selected = useWizard((s) => s.selectedKeyIds);
  const toggleKey = useWizard((s) => s.toggleKey);
  const ids = options.protectors.map((p) => p.keyProtectorId);
  return (
    <Section title={text.keysTitle}>
      {(headingId) => <KeyIds ids={ids} selection={{ selected, onToggle: toggleKey, labelledBy: headingId, hint: text.keysHint }} />}
    </Section>
  );
}

function WhereTo({ options }: { options: BackupOptionsT }) {
  const styles = useStyles();
  const kind = useWizard((s) => s.draft.kind);
  const chooseDestination = useWizard((s) => s.chooseDestination);
  return (
    <Section title={text.whereTitle}>
      {(headingId) => (
        <RadioGroup
          aria-labelledby={headingId}
          className={styles.radios}
          value={kind ?? ''}
          onChange={(_, data) => {
            const offer = options.destinations.find((d) => d.kind === data.value);
            if (offer !== undefined) chooseDestination(offer.kind);
          }}
        >
          {options.destinations.map((offer) => (
            <DestinationOption key={offer.kind} offer={offer} />
          ))}
        </RadioGroup>
      )}
    </Section>
  );
}

function DestinationOption({ offer }: { offer: BackupOptionsT['destinations'][number] }) {
  const styles = useStyles();
  const reasonId = useId('destination-reason-');
  const reason = offer.available ? null : offer.reason;
  return (
    <div className={styles.option}>
      <Radio
        value={offer.kind}
        disabled={!offer.available}
        aria-describedby={reason === null ? undefined : reasonId}
        label={
          <span className={styles.optionLabel}>
            <span className={styles.optionIcon} aria-hidden>
              {kindIcons[offer.kind]}
            </span>
            {text.kinds[offer.kind]}
          </span>
        }
      />
      {reason !== null && (
        <div className={styles.reason}>
          <Caption1 id={reasonId}>{text.unavailable[reason]}</Caption1>
          {reason === 'NoUsbDrive' && <RefreshButton />}
        </div>
      )}
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

/** What the chosen destination still needs: a USB drive, a place for the file, or how to print. */
function Details({ options }: { options: BackupOptionsT }) {
  const kind = useWizard((s) => s.draft.kind);
  switch (kind) {
    case 'usb':
      return <UsbDrives options={options} />;
    case 'file':
      return (
        <Section title={text.fileTitle}>
          {() => (
            <>
              <Hint>{text.fileHint}</Hint>
              <FileChooser format="text" />
            </>
          )}
        </Section>
      );
    case 'print':
      return <PrintMode />;
    default:
      return null;
  }
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
        label={text.usbOption(usbName(usb), usb.freeSpaceBytes)}
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
            <>
              <Hint>{text.pdfHint}</Hint>
              <FileChooser format="pdf" />
            </>
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
