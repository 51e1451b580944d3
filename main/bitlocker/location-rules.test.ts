import { describe, expect, it } from 'vitest';
import type { ErrorCodeT } from '../../preload/contract';
import { checkPathSyntax, judgeLocation, type PathInfo, type PathStyle } from './location-rules';

const SOURCE = 'C:';
const usb: PathInfo = {
  isNetwork: false,
  mountPoint: 'E:',
  driveType: 'Removable',
  volumeStatus: 'FullyDecrypted',
  protectionStatus: 'Off',
  lockStatus: 'Unlocked',
};
const fixedDrive: PathInfo = { ...usb, mountPoint: 'D:', driveType: 'Fixed' };
const encrypted = { volumeStatus: 'FullyEncrypted', protectionStatus: 'On' } as const;

const ENCRYPTED_MESSAGE = 'Your recovery key cannot be saved to an encrypted drive.';

describe('judgeLocation', () => {
  it.each<[string, PathInfo, ErrorCodeT | null]>([
    ['an encrypted fixed drive', { ...fixedDrive, ...encrypted }, 'LocationEncrypted'],
    ['an encrypted removable drive', { ...usb, ...encrypted }, 'LocationEncrypted'],
    ['a drive still encrypting', { ...usb, volumeStatus: 'EncryptionInProgress' }, 'LocationEncrypted'],
    ['a drive still decrypting', { ...usb, volumeStatus: 'DecryptionInProgress' }, 'LocationEncrypted'],
    ['a locked drive (status unknown)', { ...usb, volumeStatus: null, protectionStatus: null, lockStatus: 'Locked' }, 'LocationEncrypted'],
    ['a locked drive reporting decrypted', { ...usb, lockStatus: 'Locked' }, 'LocationEncrypted'],
    ['the drive being backed up, even unencrypted', { ...fixedDrive, mountPoint: 'C:', driveType: 'OperatingSystem' }, 'LocationSameDrive'],
    ['the drive being backed up, other letter case', { ...usb, mountPoint: 'c:' }, 'LocationSameDrive'],
    ['the drive being backed up, encrypted', { ...fixedDrive, ...encrypted, mountPoint: 'C:' }, 'LocationSameDrive'],
    ['an unencrypted fixed drive', fixedDrive, 'LocationFixedDrive'],
    ['an unencrypted OS drive of another Windows', { ...fixedDrive, driveType: 'OperatingSystem' }, 'LocationFixedDrive'],
    ['an unencrypted removable drive', usb, null],
    [
      'a UNC path',
      { isNetwork: true, mountPoint: null, driveType: null, volumeStatus: null, protectionStatus: null, lockStatus: null },
      null,
    ],
    ['a mapped network drive', { ...fixedDrive, isNetwork: true, mountPoint: 'Z:', driveType: null, volumeStatus: null }, null],
    ['no drive this PC reports', { ...usb, mountPoint: null, driveType: null, volumeStatus: null }, 'LocationUnknown'],
    ['a drive of unknown type', { ...usb, driveType: null }, 'LocationUnknown'],
  ])('%s → %s', (_, info, code) => {
    if (code === null) expect(() => judgeLocation(info, SOURCE)).not.toThrow();
    else expect(() => judgeLocation(info, SOURCE)).toThrow(expect.objectContaining({ name: 'AppFailure', code }));
  });

  it("uses Windows' exact sentence for encrypted drives", () => {
    expect(() => judgeLocation({ ...usb, ...encrypted }, SOURCE)).toThrow(expect.objectContaining({ message: ENCRYPTED_MESSAGE }));
  });

  it('says why the drive being backed up and a fixed drive are refused', () => {
    expect(() => judgeLocation({ ...usb, mountPoint: 'C:' }, SOURCE)).toThrow(
      expect.objectContaining({ message: "A recovery key can't be saved on the drive it unlocks." }),
    );
    expect(() => judgeLocation(fixedDrive, SOURCE)).toThrow(
      expect.objectContaining({ message: 'Your recovery key cannot be saved to a fixed drive of this PC. Save it to a USB flash drive or a network location.' }),
    );
  });
});

describe('checkPathSyntax', () => {
  const long = `C:\\${'a'.repeat(32_764)}`; // 32 767 characters

  it.each<[string, string, PathStyle]>([
    ['a relative path', 'keys\\key.txt', 'windows'],
    ['a rooted path without a drive', '\\keys\\key.txt', 'windows'],
    ['a .. segment', 'E:\\keys\\..\\key.txt', 'windows'],
    ['a . segment', 'E:\\.\\key.txt', 'windows'],
    ['a .. segment with forward slashes', 'E:/keys/../key.txt', 'windows'],
    ['a drive-relative path', 'C:foo', 'windows'],
    ['a \\\\?\\ device path', '\\\\?\\C:\\x', 'windows'],
    ['a \\\\.\\ device path', '\\\\.\\PhysicalDrive0', 'windows'],
    ['a UNC path without a share', '\\\\server\\key.txt', 'windows'],
    ['a UNC path to a share with no file name', '\\\\server\\share\\', 'windows'],
    ['an alternate data stream', 'E:\\keys\\key.txt:hidden', 'windows'],
    ['a wildcard', 'E:\\keys\\*.txt', 'windows'],
    ['a NUL character', 'E:\\key\0.txt', 'windows'],
    ['a control character', 'E:\\key\u0007.txt', 'windows'],
    ['a C1 control character', '/media/usb/key\u0085.txt', 'posix'],
    ['an empty file name', 'E:\\keys\\', 'windows'],
    ['a bare drive', 'E:\\', 'windows'],
    ['an over-long path', `${long}a`, 'windows'],
    ['the empty string', '', 'windows'],
    ['a relative posix path', 'media/usb/key.txt', 'posix'],
    ['a posix .. segment', '/media/usb/../../etc/key.txt', 'posix'],
    ['a posix folder', '/media/usb/', 'posix'],
    ['a Windows path on posix', 'E:\\key.txt', 'posix'],
  ])('refuses %s', (_, path, style) => {
    expect(() => checkPathSyntax(path, style)).toThrow(expect.objectContaining({ name: 'AppFailure', code: 'LocationInvalid' }));
  });

  it.each<[string, string, PathStyle]>([
    ['a Windows path', 'E:\\BitLocker Recovery Key 8A696888-99A7-4FAC-92C7-6CC497EA7BDF.TXT', 'windows'],
    ['a Windows path with forward slashes', 'e:/keys/key.txt', 'windows'],
    ['a UNC path', '\\\\fileserver\\keys$\\laptops\\key.TXT', 'windows'],
    ['a name with dots', 'E:\\keys\\..key.v2.txt', 'windows'],
    ['a path of exactly 32 767 characters', long, 'windows'],
    ['a posix path', '/media/usb/BitLocker Recovery Key.TXT', 'posix'],
    ['a posix name with characters only Windows forbids', '/media/usb/key:v2?.txt', 'posix'],
    ['the first character after the C0 controls', 'E:\\key .txt', 'windows'],
    ['the first character after the C1 controls', 'E:\\key\u00a0.txt', 'windows'],
  ])('accepts %s', (_, path, style) => {
    expect(() => checkPathSyntax(path, style)).not.toThrow();
  });

  it.each(['001F', '007F', '0080', '009F'])('refuses the control character U+%s', (hex) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    expect(() => checkPathSyntax(`E:\\key${char}.txt`, 'windows')).toThrow(expect.objectContaining({ message: 'This path contains control characters.' }));
  });

  it.each<[string, string, PathStyle, string]>([
    ['a relative posix path', 'media/usb/key.txt', 'posix', 'Choose a full path that starts with /.'],
    ['a device path', '\\\\?\\C:\\x', 'windows', "Device paths such as \\\\?\\ can't be used. Choose a folder on a drive or a network share."],
    ['a relative Windows path', 'keys\\key.txt', 'windows', 'Choose a full path that starts with a drive letter, such as E:\\, or a network share, such as \\\\server\\share.'],
    ['an over-long path', `C:\\${'a'.repeat(32_765)}`, 'windows', 'This path is too long.'],
    ['a .. segment', 'E:\\keys\\..\\key.txt', 'windows', "This path can't contain . or .. folders."],
    ['a wildcard', 'E:\\keys\\*.txt', 'windows', 'This path contains characters Windows does not allow in file names.'],
    ['a folder', 'E:\\keys\\', 'windows', 'This path has no file name.'],
  ])('tells the user what is wrong with %s', (_, path, style, message) => {
    expect(() => checkPathSyntax(path, style)).toThrow(expect.objectContaining({ code: 'LocationInvalid', message }));
  });
});
