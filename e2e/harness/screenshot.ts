import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

/** A screenshot of a whole wizard page for the README (the page scrolls inside its own container). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 1000, height: 1400 });
  await page.screenshot({ path: join(REPO_ROOT, 'e2e-output', 'screenshots', `${name}.png`) });
  if (viewport) await page.setViewportSize(viewport);
}
