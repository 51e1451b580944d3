// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createWizardStore } from '../store/wizard';
import { installFakeBridge, ok } from '../testing/fake-bridge';
import { announced, renderWithStore } from '../testing/render';
import { LeftoverCopiesNotice } from './LeftoverCopiesNotice';

afterEach(cleanup);

const REMOVED = 'F:\\.BitLocker Recovery Key 8A696888.TXT.0123456789abcdef.tmp';
const STUCK = 'G:\\Keys\\.BitLocker Recovery Key 8A696888.TXT.fedcba9876543210.tmp';

function show(removed: string[], remaining: string[]) {
  const fake = installFakeBridge();
  fake.getLeftoverCopies.mockResolvedValue(ok({ removed, remaining }));
  renderWithStore(<LeftoverCopiesNotice />, createWizardStore());
  return fake;
}

describe('LeftoverCopiesNotice', () => {
  it('names a copy it could not delete, says to delete it by hand, and announces it', async () => {
    show([], [STUCK]);
    expect(await screen.findByText("A temporary copy of a recovery key couldn't be deleted")).toBeTruthy();
    expect(screen.getByText(STUCK)).toBeTruthy();
    expect(screen.getByText(/Delete them yourself/)).toBeTruthy();
    expect(announced().assertive).toContain("couldn't be deleted");
  });

  it('names the copies it deleted, until dismissed', async () => {
    show([REMOVED, STUCK], []);
    expect(await screen.findByText('2 temporary copies of a recovery key were deleted')).toBeTruthy();
    expect(screen.getByText(REMOVED)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(REMOVED)).toBeNull();
  });

  it('shows nothing when there were none', async () => {
    const fake = show([], []);
    await Promise.resolve();
    expect(fake.getLeftoverCopies).toHaveBeenCalledOnce();
    expect(screen.queryByRole('group')).toBeNull();
    expect(document.body.textContent).toBe('');
  });
});
