import { Body1, Body1Strong, Card, makeStyles, Subtitle2, tokens } from '@fluentui/react-components';
import { ShieldDismiss48Regular } from '@fluentui/react-icons';
import { StatusPage } from '../components/StatusPage';
import { strings } from '../strings';

const useStyles = makeStyles({
  where: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalM, color: tokens.colorNeutralForeground1 },
  // Plain text, not a link (the app opens no web pages): one click selects it for copying.
  url: { userSelect: 'all' },
});

export function ModuleMissingPage() {
  const styles = useStyles();
  const text = strings.moduleMissing;
  return (
    <StatusPage icon={<ShieldDismiss48Regular />} title={text.title}>
      <Body1>{text.body}</Body1>
      <Card className={styles.where}>
        <Subtitle2 as="h2">{text.whereTitle}</Subtitle2>
        <Body1>{text.where}</Body1>
        <Body1Strong className={styles.url}>{text.url}</Body1Strong>
        <Body1>{text.workOrSchool}</Body1>
      </Card>
    </StatusPage>
  );
}
