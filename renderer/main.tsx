import { AriaLiveAnnouncer, FluentProvider, makeStaticStyles, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { WizardProvider } from './store/context';
import { createWizardStore } from './store/wizard';
import { useOsTheme } from './theme';

const useStaticStyles = makeStaticStyles({
  'html, body': { margin: 0, padding: 0, height: '100%' },
  '#root': { height: '100%' },
  // Spacing comes from the layouts' gaps, not from the browser's default heading margins.
  'h1, h2, h3': { margin: 0 },
});

// Windows 11 sets white cards on a light grey window, and lighter cards on a dark grey one. The window colour is
// also a variable, for what must cover scrolled content with it (the wizard's footer).
const useStyles = makeStyles({
  provider: { height: '100%' },
  light: { backgroundColor: tokens.colorNeutralBackground3, '--bkbWindowBackground': tokens.colorNeutralBackground3 },
  dark: { backgroundColor: tokens.colorNeutralBackground2, '--bkbWindowBackground': tokens.colorNeutralBackground2 },
});

const store = createWizardStore();

function Root() {
  useStaticStyles();
  const styles = useStyles();
  const { theme, dark } = useOsTheme();
  return (
    <FluentProvider theme={theme} className={mergeClasses(styles.provider, dark ? styles.dark : styles.light)}>
      {/* Announcements (progress, results, errors) reach screen readers through it: renderer/components/Announcer.tsx. */}
      <AriaLiveAnnouncer>
        <WizardProvider store={store}>
          <App />
        </WizardProvider>
      </AriaLiveAnnouncer>
    </FluentProvider>
  );
}

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
