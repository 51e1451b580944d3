import { useAnnounce } from '@fluentui/react-components';
import { useEffect } from 'react';

/**
 * Screen-reader announcements through Fluent's AriaLiveAnnouncer (main.tsx puts it around the app): Chromium's
 * ariaNotify where the browser has it, else a visually hidden live region that Fluent adds to the page before any
 * text arrives and empties again after each message. Either way nothing is announced twice by a region that was
 * created together with its text, and no announced text lingers in the page beside the visible one.
 */

export type Urgency = 'polite' | 'assertive';

/** Announces `message` whenever it changes to a new text (and once when the component appears with one). */
export function useAnnouncement(message: string | null, urgency: Urgency = 'polite'): void {
  const { announce } = useAnnounce();
  useEffect(() => {
    if (message === null || message.trim() === '') return;
    announce(message, urgency === 'assertive' ? { alert: true } : { polite: true });
  }, [announce, message, urgency]);
}

/** Several parts as one announcement: "Title. Body." */
export function sentence(...parts: (string | null | undefined)[]): string {
  return parts
    .filter((p): p is string => p !== null && p !== undefined && p.trim() !== '')
    .map((p) => p.trim().replace(/[.…]?$/, (end) => end || '.'))
    .join(' ');
}
