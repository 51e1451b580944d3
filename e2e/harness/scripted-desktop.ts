import type { Browser } from '@playwright/test';
import type { Desktop } from '../../main/bitlocker/desktop';

/**
 * The desktop as a test scripts it: Save dialog answers queued by the test, PDFs rendered by the same
 * Chromium (page.pdf), and print jobs recorded instead of reaching a printer.
 */
export interface ScriptedDesktop extends Desktop {
  answerSaveDialog(path: string | null): void;
  answerFolderDialog(path: string | null): void;
  setPrintAnswer(answer: 'printed' | 'cancelled'): void;
  readonly printedPages: string[];
  readonly saveDialogRequests: { defaultName: string; format: 'text' | 'pdf' }[];
}

export function scriptedDesktop(browser: Browser): ScriptedDesktop {
  const answers: (string | null)[] = [];
  const folderAnswers: (string | null)[] = [];
  const printedPages: string[] = [];
  const saveDialogRequests: ScriptedDesktop['saveDialogRequests'] = [];
  let printAnswer: 'printed' | 'cancelled' = 'printed';
  return {
    printedPages,
    saveDialogRequests,
    answerSaveDialog: (path) => answers.push(path),
    answerFolderDialog: (path) => folderAnswers.push(path),
    setPrintAnswer: (answer) => {
      printAnswer = answer;
    },
    async chooseSavePath(options) {
      saveDialogRequests.push(options);
      if (answers.length === 0) throw new Error('The test did not script an answer for the Save dialog.');
      return answers.shift()!;
    },
    async chooseFolder() {
      if (folderAnswers.length === 0) throw new Error('The test did not script an answer for the folder picker.');
      return folderAnswers.shift()!;
    },
    async renderPdf(html) {
      const page = await browser.newPage({ javaScriptEnabled: false });
      try {
        await page.setContent(html);
        return await page.pdf({ format: 'A4' });
      } finally {
        await page.close();
      }
    },
    async print(html) {
      printedPages.push(html);
      return printAnswer;
    },
  };
}
