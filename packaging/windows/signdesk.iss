; Inno Setup script: wraps dist\signdesk (the PyInstaller bundle) into
; dist\signdesk-<version>-windows-x64-setup.exe, with a Start-menu entry and an uninstaller
; (Settings > Apps, or the Start-menu "Uninstall signdesk").
; packaging\build.py runs it with the version from pyproject.toml:
;   iscc /DAppVersion=<version> [/DIconFile=build\icons\signdesk.ico] packaging\windows\signdesk.iss
#ifndef AppVersion
  #error Pass the version from pyproject.toml: iscc /DAppVersion=X.Y.Z (packaging\build.py does)
#endif

[Setup]
AppId={{6C1B4D2E-5A7F-4B8E-9C3D-2F1E0A9B8C7D}
AppName=signdesk
AppVersion={#AppVersion}
AppVerName=signdesk {#AppVersion}
AppPublisher=signdesk developers
DefaultDirName={autopf}\signdesk
DefaultGroupName=signdesk
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=signdesk-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
; per-user install by default (no administrator needed); the user may choose all users
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayName=signdesk {#AppVersion}
UninstallDisplayIcon={app}\signdesk.exe
WizardStyle=modern
#ifdef IconFile
  #if FileExists(IconFile)
SetupIconFile={#IconFile}
  #endif
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: desktopicon; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\signdesk\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\signdesk"; Filename: "{app}\signdesk.exe"
Name: "{group}\{cm:UninstallProgram,signdesk}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\signdesk"; Filename: "{app}\signdesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\signdesk.exe"; Description: "{cm:LaunchProgram,signdesk}"; Flags: nowait postinstall skipifsilent
