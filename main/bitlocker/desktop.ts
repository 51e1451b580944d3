/**
 * What a backup needs from the desktop around it. Electron provides it in the app (main/desktop/), the
 * browser test harness provides a scripted one; the backup code is the same either way.
 */
export interface Desktop {
  /** The native Save dialog; null when the user cancels. */
  chooseSavePath(options: { defaultName: string; format: 'text' | 'pdf' }): Promise<string | null>;
  /** The native folder picker (the saved-key checker); null when the user cancels. */
  chooseFolder(): Promise<string | null>;
  /** Renders a self-contained HTML page to PDF bytes. */
  renderPdf(html: string): Promise<Buffer>;
  /** Opens the print dialog for a self-contained HTML page. */
  print(html: string): Promise<'printed' | 'cancelled'>;
}
