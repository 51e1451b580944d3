import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** Every axe-core rule for WCAG 2.0–2.2 A and AA, plus axe's best practices (landmarks, heading order, …). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** One line per offending element: rule, what it says, where, and axe's own summary of the fix. */
function describeViolations(violations: Awaited<ReturnType<AxeBuilder['analyze']>>['violations']): string[] {
  return violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`),
  );
}

/**
 * Runs axe-core on the page as it stands and fails on any violation, naming the step. Animations are settled
 * first (Fluent fades content in), so colour contrast is measured on the final colours.
 */
export async function expectAccessible(page: Page, step: string): Promise<void> {
  await page.evaluate(() => {
    // Spinners animate forever; anything else (Fluent's fades) is awaited, for at most a second.
    const finite = document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity);
    const settled = Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
    return Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 1_000))]);
  });
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  expect(describeViolations(results.violations), `axe-core violations on ${step}`).toEqual([]);
}

/**
 * Records every announcement from now on: what the page passes to `document.ariaNotify` (Chromium's announcement
 * API, which Fluent's AriaLiveAnnouncer uses where it exists), and every text that appears in a live region
 * (aria-live, role status/alert/log) that exists now. A region created together with its text is not read by most
 * screen readers, so only regions present before the text arrives count. Read the record with `announced(page)`.
 */
export async function listenToLiveRegions(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __announced?: string[] };
    const record = (text: string) => {
      if (text.trim() !== '') w.__announced!.push(text.trim());
    };
    w.__announced = [];
    const doc = document as Document & { ariaNotify?: (message: string, options?: unknown) => void };
    const notify = doc.ariaNotify;
    if (typeof notify === 'function') {
      doc.ariaNotify = (message: string, options?: unknown) => {
        record(message);
        notify.call(document, message, options);
      };
    }
    const regions = document.querySelectorAll('[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"]');
    for (const region of regions) {
      new MutationObserver(() => record(region.textContent ?? '')).observe(region, { subtree: true, childList: true, characterData: true });
    }
  });
}

/** Everything announced since `listenToLiveRegions`, one entry per announcement or change. */
export function announced(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __announced?: string[] }).__announced ?? []);
}

/**
 * Waits for the app's first page (a drive list, or a page explaining why there is none), however long PowerShell
 * takes to start: the real module in pwsh (browser-pwsh) takes many seconds on a loaded two-core machine.
 */
export async function firstPage(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible({ timeout: 60_000 });
}
