import { useEffect, type ReactNode } from 'react';
import { AppShell } from './components/AppShell';
import { AdminRequiredPage } from './pages/AdminRequiredPage';
import { ErrorPage } from './pages/ErrorPage';
import { LoadingPage } from './pages/LoadingPage';
import { ModuleMissingPage } from './pages/ModuleMissingPage';
import { useWizard } from './store/context';
import { selectPage, type Page } from './store/selectors';
import { BackupMissingProgress, BackupMissingResult } from './steps/BackupMissing';
import { Confirm } from './steps/Confirm';
import { Destination } from './steps/Destination';
import { DriveList } from './steps/DriveList';
import { KeyChangeConfirm, KeyChangeResult } from './steps/KeyChange';
import { Result } from './steps/Result';
import { SavedKeys } from './steps/SavedKeys';

const pages: Record<Page, ReactNode> = {
  loading: <LoadingPage />,
  notElevated: <AdminRequiredPage />,
  moduleMissing: <ModuleMissingPage />,
  error: <ErrorPage />,
  drives: <DriveList />,
  destination: <Destination />,
  confirm: <Confirm />,
  result: <Result />,
  addKey: <KeyChangeConfirm />,
  rotate: <KeyChangeConfirm />,
  rotateResult: <KeyChangeResult />,
  backupMissing: <BackupMissingProgress />,
  backupMissingResult: <BackupMissingResult />,
  savedKeys: <SavedKeys />,
};

export function App() {
  const load = useWizard((s) => s.load);
  const page = useWizard(selectPage);

  useEffect(() => {
    void load();
  }, [load]);

  return <AppShell>{pages[page]}</AppShell>;
}
