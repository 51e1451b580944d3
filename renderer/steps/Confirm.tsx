import { Body1, Body1Strong, Button, Card, Checkbox, makeStyles, MessageBar, MessageBarBody, Spinner, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { destinationName, planSentences } from '../backup-text';
import { KeyIds } from '../components/KeyIds';
import { ProgressPanel } from '../components/ProgressPanel';
import { Clamped, ClampedLines, DriveName } from '../components/UserText';
import { WizardPage } from '../components/WizardPage';
import { existingTargets, selectCanRun } from '../store/backup-selectors';
import { useWizard } from '../store/context';
import { strings } from '../strings';

const text = strings.confirm;

const useStyles = makeStyles({
  summary: { padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}` },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'minmax(120px, max-content) minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalXXL,
    rowGap: tokens.spacingVerticalL,
    margin: 0,
    '@media (max-width: 640px)': { gridTemplateColumns: 'minmax(0, 1fr)', rowGap: tokens.spacingVerticalXS },
  },
  term: { color: tokens.colorNeutralForeground2 },
  value: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXS, margin: 0, minWidth: 0 },
  // Drive labels and paths are the user's own text: whole, never interpreted, isolated from what follows.
  userText: { overflowWrap: 'anywhere', unicodeBidi: 'isolate' },
  exists: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

/** Step 3: everything the backup will do, said plainly, and the one button that does it. */
export function Confirm() {
  const styles = useStyles();
  const drive = useWizard((s) => s.selectedDrive);
  const volumes = useWizard((s) => s.volumes);
  const keys = useWizard((s) => s.selectedKeyIds);
  const draft = useWizard((s) => s.draft);
  const options = useWizard((s) => s.backupOptions);
  const environment = useWizard((s) => s.environment);
  const existing = useWizard(useShallow((s) => existingTargets(s).map((t) => t.path)));
  const replace = useWizard((s) => s.replace);
  const running = useWizard((s) => s.running);
  const canRun = useWizard(selectCanRun);
  const setReplace = useWizard((s) => s.setReplace);
  const runBackup = useWizard((s) => s.runBackup);
  const back = useWizard((s) => s.back);
  const cancel = useWizard((s) => s.cancel);
  if (drive === null) return null;
  // Windows Home has no BitLocker panel: the Microsoft account is reached through Settings there.
  const home = environment?.edition?.toUpperCase().startsWith('CORE') === true;
  const directory = draft.kind === 'entra' ? environment?.tenantName : draft.kind === 'activeDirectory' ? environment?.domainName : null;

  return (
    <WizardPage
      title={text.title}
      intro={text.intro}
      onEscape={running ? undefined : cancel}
      start={
        <Button disabled={running} onClick={back}>
          {strings.wizard.back}
        </Button>
      }
      end={
        <>
          {/* Stays focusable while it runs, so focus isn't lost; the store ignores a second press anyway. */}
          <Button
            appearance="primary"
            disabledFocusable={!canRun}
            icon={running ? <Spinner size="extra-tiny" aria-hidden /> : undefined}
            onClick={() => void runBackup()}
          >
            {text.backUp}
          </Button>
          <Button disabled={running} onClick={cancel}>
            {strings.wizard.cancel}
          </Button>
        </>
      }
    >
      <Card className={styles.summary} role="none">
        <dl className={styles.facts}>
          <Fact term={text.drive}>
            <Body1 className={styles.userText}>
              <DriveName mountPoint={drive} volumes={volumes} />
            </Body1>
          </Fact>
          <Fact term={text.keys(keys.length)}>
            <KeyIds ids={keys} />
          </Fact>
          <Fact term={text.destination}>
            <Body1>
              {destinationName(draft)}
              {directory !== null && directory !== undefined && directory.trim() !== '' && (
                <>
                  {' '}
                  <Clamped text={directory} wrap={['(', ')']} />
                </>
              )}
            </Body1>
          </Fact>
          <Fact term={text.whatHappens}>
            {planSentences(draft, keys.length, options, home).map((sentence) => (
              <Body1 key={sentence} className={styles.userText}>
                {/* A USB stick's sentence carries its label: cut after three lines. */}
                {draft.kind === 'usb' ? <ClampedLines text={sentence} /> : sentence}
              </Body1>
            ))}
          </Fact>
        </dl>
      </Card>
      {existing.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody className={styles.exists}>
            {existing.map((path) => (
              <span key={path} className={styles.userText}>
                {text.exists(path)}
              </span>
            ))}
            <Checkbox
              label={text.replace(existing.length)}
              checked={replace}
              disabled={running}
              onChange={(_, data) => setReplace(data.checked === true)}
            />
          </MessageBarBody>
        </MessageBar>
      )}
      {running && <ProgressPanel />}
    </WizardPage>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  const styles = useStyles();
  return (
    <>
      <dt>
        <Body1Strong className={styles.term}>{term}</Body1Strong>
      </dt>
      <dd className={styles.value}>{children}</dd>
    </>
  );
}
