; Included by electron-builder's NSIS installer (electron-builder.yml nsis.include).
; Registers the app's event source in Windows' Application log, where the audit trail goes (every backup, added or
; removed key and reveal, by key ID: main/bitlocker/audit.ts). Creating a source needs administrator rights, which
; the per-machine installer has and the app must not assume. The messages file is the .NET Framework's generic one,
; present on every Windows 10 and 11. The portable build has no installer: it reports that the trail was not written.

!define BKB_EVENT_SOURCE_KEY "SYSTEM\CurrentControlSet\Services\EventLog\Application\BitLocker Key Backup"

!macro customInstall
  WriteRegExpandStr HKLM "${BKB_EVENT_SOURCE_KEY}" "EventMessageFile" "%SystemRoot%\Microsoft.NET\Framework64\v4.0.30319\EventLogMessages.dll"
  WriteRegDWORD HKLM "${BKB_EVENT_SOURCE_KEY}" "TypesSupported" 7
!macroend

!macro customUnInstall
  DeleteRegKey HKLM "${BKB_EVENT_SOURCE_KEY}"
!macroend
