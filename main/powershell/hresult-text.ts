/**
 * Plain words for the HRESULTs BitLocker and its cmdlets report most often. Windows' own text for these
 * reaches PowerShell as "Exception from HRESULT: 0x8031…", which tells a user nothing; the session puts
 * these words in its place (the HRESULT itself still travels with the error, for the helpdesk).
 * Source: Windows SDK fvestatus/winerror (FVE_E_*), and bitlocker.md §2.
 */
const TEXT: Readonly<Record<string, string>> = {
  '0x80310000': 'The drive is locked. Unlock it in File Explorer, then try again.',
  '0x80310001': 'BitLocker is not turned on for this drive.',
  '0x80310008': 'BitLocker is not turned on for this drive.',
  '0x8031000F': 'Active Directory has no record with that ID. Ask your IT administrator.', // FVE_E_AD_GUID_NOT_FOUND
  '0x80310033': 'This drive has no recovery password with that ID. It may have been removed.',
  '0x80310035': 'The recovery password is not valid.',
  '0x8031003A': 'That key protector is not a recovery password.',
  '0x80310037': 'A Group Policy setting that requires FIPS compliance does not allow recovery passwords on this PC. Ask your IT administrator.', // FVE_E_FIPS_PREVENTS_RECOVERY_PASSWORD
  '0x8031005C': 'A Group Policy setting does not allow recovery passwords on this PC. Ask your IT administrator.', // FVE_E_POLICY_RECOVERY_PASSWORD_NOT_ALLOWED
  '0x8031005D': 'A Group Policy setting requires this drive to keep a recovery password.', // FVE_E_POLICY_RECOVERY_PASSWORD_REQUIRED
  '0x8031005E': 'A Group Policy setting does not allow recovery keys (startup key files) on this PC.', // FVE_E_POLICY_RECOVERY_KEY_NOT_ALLOWED
  '0x80310067': 'A Group Policy setting requires this drive to start with the TPM alone.', // FVE_E_POLICY_STARTUP_TPM_REQUIRED
  '0x80310080': 'The password is not as long as Group Policy requires.', // FVE_E_POLICY_INVALID_PASSPHRASE_LENGTH
  '0x801C0450': 'This PC is not joined to Microsoft Entra ID.',
  '0x80041003': 'Windows refused access. Run BitLocker Key Backup as administrator.',
  '0x80070005': 'Windows refused access. Run BitLocker Key Backup as administrator.',
  '0x80070490': 'Windows could not find that drive.',
  '0x8007054B': 'This PC could not reach its domain.',
  '0x80072EE7': 'The PC could not find the server. Check the internet connection.',
  '0x80072F8F': 'A secure connection to the server could not be made. Check the PC’s date and time and the internet connection.',
};

/** Matches Windows' generic wording, which carries nothing beyond the code itself. */
const GENERIC = /^(?:Exception from HRESULT:\s*)?0x[0-9A-F]{8}\.?$/i;

/** The message to show for a module error: plain words for a known HRESULT, Windows' text otherwise. */
export function describeHResult(hresult: string | null, message: string): string {
  if (hresult === null) return message;
  const known = TEXT[hresult.toUpperCase().replace(/^0X/, '0x')];
  if (known) return known;
  return GENERIC.test(message.trim()) ? `Windows reported error ${hresult}.` : message;
}
