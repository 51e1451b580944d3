import { describe, expect, it } from 'vitest';
import { isTrustedSender, type SenderEvent } from './sender';

const appIds = new Set([7]);
const event = (id: number, url: string | null, parent: unknown = null): SenderEvent => ({
  sender: { id },
  senderFrame: url === null ? null : { url, parent },
});

describe('isTrustedSender', () => {
  it('accepts the top frame of an app window showing the app origin', () => {
    expect(isTrustedSender(event(7, 'app://bitlocker/index.html'), appIds)).toBe(true);
  });

  it.each([
    ['an unknown WebContents', event(8, 'app://bitlocker/index.html')],
    ['a subframe', event(7, 'app://bitlocker/index.html', { url: 'app://bitlocker/index.html' })],
    ['a remote page in an app window', event(7, 'https://example.com/')],
    ['a file:// page', event(7, 'file:///C:/index.html')],
    ['a look-alike origin', event(7, 'app://bitlocker.evil/index.html')],
    ['a destroyed frame', event(7, null)],
    ['an unparsable URL', event(7, 'not a url')],
  ])('refuses %s', (_name, e) => {
    expect(isTrustedSender(e, appIds)).toBe(false);
  });
});
