; Inno Setup script: wraps dist\signdesk (built by packaging\build.py) into signdesk-setup.exe.
; Build on Windows with:  iscc packaging\windows\signdesk.iss
#define AppVersion "0.1.0"

[Setup]
AppName=signdesk
AppVersion={#AppVersion}
AppPublisher=signdesk developers
DefaultDirName={autopf}\signdesk
DefaultGroupName=signdesk
OutputDir=..\..\dist
OutputBaseFilename=signdesk-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
PrivilegesRequired=lowest
ArchitecturesInstallIn64BitMode=x64compatible

[Files]
Source: "..\..\dist\signdesk\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\signdesk"; Filename: "{app}\signdesk.exe"
Name: "{autodesktop}\signdesk"; Filename: "{app}\signdesk.exe"; Tasks: desktopicon

[Tasks]
Name: desktopicon; Description: "Create a desktop shortcut"

[Run]
Filename: "{app}\signdesk.exe"; Description: "Start signdesk"; Flags: nowait postinstall skipifsilent
