; The Windows installer of Agent toolbar (Inno Setup 6): per user by default (no
; administrator needed), or per machine for IT (/ALLUSERS, or the first page's choice).
;
; Silent, as IT deploys it (docs/deployment.md; the release workflow runs exactly these):
;   agent-toolbar-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /ALLUSERS /LOG="C:\Windows\Temp\agent-toolbar-setup.log"
;   "C:\Program Files\Agent Toolbar\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; /CURRENTUSER instead of /ALLUSERS installs for the signed-in user only. An upgrade keeps
; the mode of the install it replaces (UsePreviousPrivileges).
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
; Per machine (/ALLUSERS, as administrator) it is Program Files, and the Start-menu entry is
; every user's.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
; Start at login is per user and offered only then (see [Tasks]); registry entries for every
; user go under HKA, which is HKLM per machine and HKCU per user.
UsedUserAreasWarning=no
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
; Start at login is each user's own (the toolbar's setting writes HKCU): per machine, IT sets
; it by policy (preferences.start_at_login) instead of for the administrator who installs.
Name: "startatlogin"; Description: "{cm:AutoStartProgram,Agent toolbar}"; GroupDescription: "{cm:AutoStartProgramGroupDescription}"; Flags: unchecked; Check: not IsAdminInstallMode

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
; tel: and callto: links run `agent-toolbar.exe dial "LINK"`, which hands the number to the
; running toolbar (it asks before calling). AgentToolbar.Link is the program's own class;
; Capabilities and RegisteredApplications list the toolbar among the choices Windows 10 and
; later offer for these links (the agent chooses; no installer may). Under HKA: per machine
; for every user, per user for one.
Root: HKA; Subkey: "Software\Classes\AgentToolbar.Link"; ValueType: string; ValueName: ""; ValueData: "Agent toolbar: call a number"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\AgentToolbar.Link\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\agent-toolbar.exe,0"
Root: HKA; Subkey: "Software\Classes\AgentToolbar.Link\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\agent-toolbar.exe"" dial ""%1"""
Root: HKA; Subkey: "Software\Agent Toolbar"; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Agent Toolbar\Capabilities"; ValueType: string; ValueName: "ApplicationName"; ValueData: "Agent toolbar"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Agent Toolbar\Capabilities"; ValueType: string; ValueName: "ApplicationDescription"; ValueData: "Calls tel: and callto: links from your phone, after asking"
Root: HKA; Subkey: "Software\Agent Toolbar\Capabilities\URLAssociations"; ValueType: string; ValueName: "tel"; ValueData: "AgentToolbar.Link"
Root: HKA; Subkey: "Software\Agent Toolbar\Capabilities\URLAssociations"; ValueType: string; ValueName: "callto"; ValueData: "AgentToolbar.Link"
Root: HKA; Subkey: "Software\RegisteredApplications"; ValueType: string; ValueName: "Agent toolbar"; ValueData: "Software\Agent Toolbar\Capabilities"; Flags: uninsdeletevalue
; The schemes' own keys make the toolbar their handler where no program has one yet (and
; Windows has no choice of the agent's on record). A scheme another program registered is
; left alone, and so never removed either. The command comes first: SchemeIsOurs then
; knows the key as this toolbar's for the entries after it (and on an upgrade).
Root: HKA; Subkey: "Software\Classes\tel\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\agent-toolbar.exe"" dial ""%1"""; Check: SchemeIsOurs('tel')
Root: HKA; Subkey: "Software\Classes\tel"; ValueType: string; ValueName: ""; ValueData: "URL:tel"; Flags: uninsdeletekey; Check: SchemeIsOurs('tel')
Root: HKA; Subkey: "Software\Classes\tel"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Check: SchemeIsOurs('tel')
Root: HKA; Subkey: "Software\Classes\callto\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\agent-toolbar.exe"" dial ""%1"""; Check: SchemeIsOurs('callto')
Root: HKA; Subkey: "Software\Classes\callto"; ValueType: string; ValueName: ""; ValueData: "URL:callto"; Flags: uninsdeletekey; Check: SchemeIsOurs('callto')
Root: HKA; Subkey: "Software\Classes\callto"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Check: SchemeIsOurs('callto')

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

// Whether the scheme is free or already this toolbar's (its command runs agent-toolbar.exe),
// as Windows sees it (HKEY_CLASSES_ROOT: the user's and the machine's registrations): a
// handler another program registered, per user or per machine, is never overridden.
function SchemeIsOurs(Scheme: String): Boolean;
var
  Command: String;
begin
  Result := not RegKeyExists(HKEY_CLASSES_ROOT, Scheme);
  if (not Result) and RegQueryStringValue(HKEY_CLASSES_ROOT, Scheme + '\shell\open\command', '', Command) then
    Result := Pos('agent-toolbar.exe', Lowercase(Command)) > 0;
end;
