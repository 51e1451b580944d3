import { Button, makeStyles, Title3, tokens } from '@fluentui/react-components';
import { ArrowLeft20Regular } from '@fluentui/react-icons';
import { useWizard } from '../store/context';
import { strings } from '../strings';
import { displayFontFamily } from '../theme';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXL },
  title: { fontFamily: displayFontFamily },
});

/** Where the destination choice will go; for now it names the chosen drive and leads back. */
export function Destination() {
  const styles = useStyles();
  const drive = useWizard((s) => s.selectedDrive);
  const backToDrives = useWizard((s) => s.backToDrives);
  // chooseDrive sets step and drive together, so this page always has one.
  if (drive === null) return null;
  return (
    <section className={styles.page}>
      <Title3 as="h1" className={styles.title}>
        {strings.destination.title(drive)}
      </Title3>
      <Button icon={<ArrowLeft20Regular />} onClick={backToDrives}>
        {strings.destination.back}
      </Button>
    </section>
  );
}
