; The Windows installer of Agent toolbar (Inno Setup 6): per user, no administrator needed.
;
; Built on Windows by the release workflow, after PyInstaller made dist\agent-toolbar\ and
; scripts\make_icons.py made build\icons\:
;   ISCC.exe /DAppVersion=0.1.0 packaging\windows\agent-toolbar.iss
; It writes dist\agent-toolbar-0.1.0-setup.exe. Relative paths below are from this folder.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
; The id Windows knows the installed app by: never change it, or upgrades install twice.
AppId={{86925000-10BD-42F9-A50B-00C0ECF68D14}
AppName=Agent toolbar
AppVersion={#AppVersion}
AppPublisher=Agent toolbar
; Under lowest privileges {autopf} is {localappdata}\Programs: no administrator, no UAC prompt.
PrivilegesRequired=lowest
DefaultDirName={autopf}\Agent Toolbar
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=..\..\build\icons\agent-toolbar.ico
UninstallDisplayIcon={app}\agent-toolbar.exe
OutputDir=..\..\dist
OutputBaseFilename=agent-toolbar-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; Upgrading while the toolbar runs: Windows' Restart Manager asks it to close first, with the
; same request as at logoff (ui/quit_guard.py then logs out or goes Away, as set).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"

[Tasks]
; The messages are Inno Setup's own, already translated in each language file.
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "startatlogin"; Description: "{cm:AutoStartProgram,Agent toolbar}"; GroupDescription: "{cm:AutoStartProgramGroupDescription}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the frozen libraries whole, so none of an older version's linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\..\dist\agent-toolbar\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Agent toolbar"; Filename: "{app}\agent-toolbar.exe"
Name: "{autodesktop}\Agent toolbar"; Filename: "{app}\agent-toolbar.exe"; Tasks: desktopicon

[Registry]
; The same value the toolbar's own "Start at login" setting writes (agent_toolbar/system/autostart.py),
; so the setting shows this task's choice and can undo it. ("" is a literal quote here.)
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "agent-toolbar"; ValueData: """{app}\agent-toolbar.exe"""; Tasks: startatlogin

[Run]
Filename: "{app}\agent-toolbar.exe"; Description: "{cm:LaunchProgram,Agent toolbar}"; Flags: nowait postinstall skipifsilent

[Code]
// Uninstalling removes start at login whoever turned it on: this installer's task or the
// toolbar's setting (which the uninstall log of [Registry] would not know about).
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usUninstall then
    RegDeleteValue(HKEY_CURRENT_USER, 'Software\Microsoft\Windows\CurrentVersion\Run', 'agent-toolbar');
end;
