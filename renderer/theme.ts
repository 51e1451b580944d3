import { webDarkTheme, webLightTheme, type Theme } from '@fluentui/react-components';
import { useSyncExternalStore } from 'react';

/** Windows 11's variable Segoe UI first; older Windows and other systems fall back gracefully. */
const fontFamilyBase = "'Segoe UI Variable Text', 'Segoe UI Variable', 'Segoe UI', system-ui, -apple-system, sans-serif";
export const displayFontFamily = "'Segoe UI Variable Display', 'Segoe UI Variable', 'Segoe UI', system-ui, -apple-system, sans-serif";

const lightTheme: Theme = { ...webLightTheme, fontFamilyBase };
const darkTheme: Theme = { ...webDarkTheme, fontFamilyBase };

const darkQuery = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const media = window.matchMedia(darkQuery);
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}

/** Follows Windows' light/dark setting live, as Electron reports it through prefers-color-scheme. */
export function useOsTheme(): { theme: Theme; dark: boolean } {
  const dark = useSyncExternalStore(subscribe, () => window.matchMedia(darkQuery).matches);
  return { theme: dark ? darkTheme : lightTheme, dark };
}
