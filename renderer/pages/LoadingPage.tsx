import { makeStyles, Spinner, tokens } from '@fluentui/react-components';
import { useWizard } from '../store/context';
import { selectLoadingMessage } from '../store/selectors';
import { strings } from '../strings';

const useStyles = makeStyles({
  page: { display: 'flex', justifyContent: 'center', paddingTop: '120px', color: tokens.colorNeutralForeground2 },
});

export function LoadingPage() {
  const styles = useStyles();
  const message = useWizard(selectLoadingMessage);
  return (
    <div className={styles.page}>
      <Spinner size="large" labelPosition="below" label={strings.loading[message]} />
    </div>
  );
}
