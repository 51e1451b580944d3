import { useEffect, type ReactNode } from 'react';
import { AppShell } from './components/AppShell';
import { AdminRequiredPage } from './pages/AdminRequiredPage';
import { ErrorPage } from './pages/ErrorPage';
import { LoadingPage } from './pages/LoadingPage';
import { ModuleMissingPage } from './pages/ModuleMissingPage';
import { useWizard } from './store/context';
import { selectPage, type Page } from './store/selectors';
import { Confirm } from './steps/Confirm';
import { Destination } from './steps/Destination';
import { DriveList } from './steps/DriveList';
import { Result } from './steps/Result';

const pages: Record<Page, ReactNode> = {
  loading: <LoadingPage />,
  notElevated: <AdminRequiredPage />,
  moduleMissing: <ModuleMissingPage />,
  error: <ErrorPage />,
  drives: <DriveList />,
  destination: <Destination />,
  confirm: <Confirm />,
  result: <Result />,
};

export function App() {
  const load = useWizard((s) => s.load);
  const page = useWizard(selectPage);

  useEffect(() => {
    void load();
  }, [load]);

  return <AppShell>{pages[page]}</AppShell>;
}
