import { describe, expect, it } from 'vitest';
import { cliCommandIn, parseCli } from './grammar';

const ID = '{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}';

describe('parseCli', () => {
  it('reads each command with its options', () => {
    expect(parseCli(['status', '--intune', '--json-out', 'C:\\out.json'])).toEqual({
      command: 'status',
      mountPoint: null,
      keyProtectorIds: [],
      destination: null,
      reveal: false,
      jsonOut: 'C:\\out.json',
      intune: true,
    });
    expect(parseCli(['backup', '--mount', 'c:', '--to', 'file', '--path', 'E:\\keys', '--key', ID.toLowerCase(), '--replace'])).toMatchObject({
      command: 'backup',
      mountPoint: 'C:',
      keyProtectorIds: [ID],
      destination: { kind: 'file', folder: 'E:\\keys', replace: true },
    });
    expect(parseCli(['backup', '--mount', 'D:', '--to', 'usb', '--usb', 'e:']).destination).toEqual({ kind: 'usb', target: 'E:', replace: false });
    expect(parseCli(['backup', '--mount', 'D:', '--to', 'ad']).destination).toEqual({ kind: 'activeDirectory' });
    expect(parseCli(['rotate', '--mount', 'C:']).destination).toBeNull();
    expect(parseCli(['status', '--reveal']).reveal).toBe(true);
  });

  it.each([
    [[], /Unknown command/],
    [['delete-everything'], /Unknown command/],
    [['status', 'extra'], /Unexpected argument/],
    [['status', '--mount', 'C:'], /status does not take --mount/],
    [['ensure-escrow', '--reveal'], /does not take --reveal/],
    [['status', '--inspect=9229'], /inspect/],
    [['backup', '--to', 'entra'], /needs --mount/],
    [['backup', '--mount', 'C:'], /needs --to/],
    [['backup', '--mount', 'C:', '--to', 'file'], /needs --path/],
    [['backup', '--mount', 'C:', '--to', 'usb', '--usb', 'E:\\'], /--usb with the USB drive's letter/],
    [['backup', '--mount', 'C:', '--to', 'cloud'], /--to must be entra, ad, file or usb/],
    [['backup', '--mount', 'C:\\', '--to', 'entra'], /needs --mount/],
    [['backup', '--mount', 'C:', '--to', 'entra', '--key', '8A696888'], /--key takes a key protector ID/],
    [['rotate', '--mount', 'C:', '--key', ID, '--key', ID], /one --key/],
    [['status', '--json-out', ' '], /needs a file name/],
  ])('refuses %j', (args, message) => {
    expect(() => parseCli(args)).toThrow(message);
  });
});

describe('cliCommandIn', () => {
  it('finds a command only as the first plain argument, so the GUI opens for anything else', () => {
    expect(cliCommandIn(['status', '--intune'])).toBe('status');
    expect(cliCommandIn(['--scenario', 'x.json'])).toBeNull();
    expect(cliCommandIn(['C:\\Users\\me\\file.txt'])).toBeNull();
    expect(cliCommandIn([])).toBeNull();
  });
});
