"""Builds the Debian package from the frozen build: `python packaging/linux/build_deb.py`.

Reads dist/agent-toolbar/ (`make frozen`) and writes dist/agent-toolbar_VERSION_ARCH.deb:
the frozen folder under /opt/agent-toolbar, /usr/bin/agent-toolbar pointing at it, the
desktop entry, the hicolor icons (rendered by scripts/make_icons.py), the AppStream
metainfo, the copyright file and /etc/agent-toolbar/policy.toml, a conffile: a commented
example of the fleet policy that dpkg keeps across upgrades once IT edits it. `Depends`
comes from dpkg-shlibdeps over every ELF file of the bundle, so it names exactly the
system libraries the bundle links to and does not carry (the frozen build leaves the
distribution's own libraries out on purpose), with the versions their symbols need. No
maintainer scripts: the desktop database and the icon cache are refreshed by the file
triggers of desktop-file-utils and hicolor-icon-theme, which fire on install and on
removal alike.

A second, hidden desktop entry (DIAL_ENTRY) makes the toolbar the handler of `tel:` and
`callto:` links: it runs `agent-toolbar dial %u`, so the main entry stays a plain start
and the link command finds (or starts) the profile's toolbar itself. The same trigger's
update-desktop-database puts its MimeType in the cache the desktop looks handlers up in.
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PACKAGE = "agent-toolbar"
DISTRIBUTION = "agent-toolbar"
APP_ID = "org.agenttoolbar.AgentToolbar"
DIAL_ENTRY = f"{APP_ID}.Dial.desktop"
"""The handler of tel: and callto: links (NoDisplay: no menu item of its own)."""
INSTALL_DIR = Path("opt") / PACKAGE
EXECUTABLE = INSTALL_DIR / PACKAGE
POLICY = Path("etc") / PACKAGE / "policy.toml"
CONFFILES = (POLICY,)
"""Files IT edits: dpkg keeps an edited one on upgrade and removes it only on purge."""
MAINTAINER = "Agent toolbar developers <agent-toolbar@example.com>"
"""A placeholder: the release engineer sets the real address before the first release."""

LOADED_AT_RUN_TIME = ("libportaudio2",)
"""Libraries no ELF file names, so dpkg-shlibdeps cannot see them: sounddevice opens
PortAudio with ctypes when the first sound plays (its copy of the system library is left
out of the bundle like every other distribution library)."""

RECOMMENDS = ("pulseaudio-utils", "gnome-keyring | kwalletmanager")
"""pacat plays each sound on its own PulseAudio/PipeWire sink; a Secret Service keeps
passwords between runs. The toolbar works without either and says what it misses."""

DESCRIPTION = """\
desktop toolbar for call-center agents
 Agent toolbar follows a call-center agent's own events on a Kazoo/Qubicle or
 Telphin server: the call that is ringing with a countdown to its deadline, the
 call in progress, wrap-up and the day's statistics. From the same strip the
 agent logs in and out, goes ready or away, pauses queues and ends wrap-up.
 .
 Every change shows as pending until the server confirms it. A tray icon,
 desktop notifications, a ring on a chosen sound device and system-wide keys
 come with it, and "agent-toolbar demo" tries it against a built-in simulator."""


class BuildError(Exception):
    """The package cannot be built; the text says why in plain words."""


def project_version(pyproject: Path) -> str:
    """The version pyproject.toml declares: the one the frozen build stamped."""
    with pyproject.open("rb") as file:
        version: str = tomllib.load(file)["project"]["version"]
    return version


def run(command: list[str], cwd: Path | None = None) -> str:
    """A build tool's standard output; its own error text when it fails."""
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BuildError(f"{command[0]} is missing: run scripts/bootstrap --packaging") from None
    if done.returncode != 0:
        raise BuildError(f"{' '.join(command[:2])} failed:\n{done.stderr.strip()}")
    return done.stdout


def architecture() -> str:
    """Debian's name for this machine's architecture, as in the package's file name."""
    return run(["dpkg", "--print-architecture"]).strip()


def check_frozen(frozen: Path, version: str) -> None:
    """The frozen folder exists and was built from this version of the project."""
    if not (frozen / PACKAGE).is_file():
        raise BuildError(f"no frozen build in {frozen}: run make frozen first")
    stamp = frozen / "_internal" / f"agent_toolbar-{version}.dist-info"
    if not stamp.is_dir():
        raise BuildError(f"the frozen build in {frozen} is not of version {version}: rebuild it")


def stage_files(frozen: Path, root: Path, icons: Path) -> None:
    """Everything the package installs, laid out under `root` as on the target system."""
    shutil.copytree(frozen, root / INSTALL_DIR, symlinks=True)
    launcher = root / "usr" / "bin" / PACKAGE
    launcher.parent.mkdir(parents=True)
    launcher.symlink_to(Path("/") / EXECUTABLE)
    share = root / "usr" / "share"
    for source, folder in (
        (HERE / f"{APP_ID}.desktop", share / "applications"),
        (HERE / DIAL_ENTRY, share / "applications"),
        (HERE / f"{APP_ID}.metainfo.xml", share / "metainfo"),
    ):
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, folder / source.name)
    run([sys.executable, str(ROOT / "scripts" / "make_icons.py"), str(icons)])
    shutil.copytree(icons / "hicolor", share / "icons" / "hicolor")
    (root / POLICY).parent.mkdir(parents=True)
    shutil.copyfile(HERE / POLICY.name, root / POLICY)
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(copyright_text(), encoding="utf-8")


def copyright_text() -> str:
    """The app's licence, then every component the bundle carries with its licence."""
    own = (HERE / "copyright").read_text(encoding="utf-8")
    python = ".".join(str(part) for part in sys.version_info[:3])
    lines = [
        f" Python {python}: PSF-2.0",
        " PyInstaller bootloader: GPL-2.0-or-later WITH Bootloader-exception",
    ]
    for name, version, licence in bundled_distributions():
        lines.append(f" {name} {version}: {licence}")
    return own.replace("@BUNDLED@", "\n".join(lines))


def bundled_distributions() -> list[tuple[str, str, str]]:
    """(name, version, licence) of agent-toolbar's run-time dependencies, all the way down,
    as installed where the frozen build was made."""
    environment = {key: str(value) for key, value in default_environment().items()}
    seen: dict[str, tuple[str, str, str]] = {}
    pending = [DISTRIBUTION]
    while pending:
        name = canonicalize_name(pending.pop())
        if name in seen:
            continue
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise BuildError(f"{name} is not installed: run make frozen first") from None
        seen[name] = (distribution.name, distribution.version, licence_of(distribution))
        for text in distribution.requires or []:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker is None or marker.evaluate(environment | {"extra": ""}):
                pending.append(requirement.name)
    seen.pop(canonicalize_name(DISTRIBUTION))
    return sorted(seen.values(), key=lambda entry: entry[0].lower())


def licence_of(distribution: metadata.Distribution) -> str:
    """Its SPDX expression, else its free-text licence's first line, else its classifiers."""
    info = distribution.metadata
    for field in ("License-Expression", "License"):
        text = "".join(info.get_all(field) or []).strip()
        if text:
            return text.splitlines()[0]
    classifiers = info.get_all("Classifier") or []
    named = [entry.split(" :: ")[-1] for entry in classifiers if entry.startswith("License ::")]
    return " / ".join(named) or "unknown"


def set_modes(root: Path) -> None:
    """0755 for folders and the executable, 0644 for every other file (libraries too,
    as Debian's policy asks); symlinks have no mode of their own."""
    for path in walk(root):
        if path.is_symlink():
            continue
        executable = path.is_dir() or path == root / EXECUTABLE
        path.chmod(0o755 if executable else 0o644)


def walk(root: Path) -> Iterator[Path]:
    """Every folder, file and symlink under `root` (not following symlinks), sorted."""
    for folder, folders, files in os.walk(root):
        folders.sort()
        for name in [*folders, *sorted(files)]:
            yield Path(folder) / name


def installed_size_kib(root: Path) -> int:
    """Installed-Size as dpkg-gencontrol counts it: each file's size in KiB rounded up,
    and 1 for every folder and symlink."""
    total = 0
    for path in walk(root):
        if path.is_file() and not path.is_symlink():
            total += -(-path.stat().st_size // 1024)
        else:
            total += 1
    return total


def is_elf(path: Path) -> bool:
    """A regular file (not a symlink) that starts with the ELF magic number."""
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as file:
        return file.read(4) == b"\x7fELF"


def library_depends(work: Path, root: Path) -> list[str]:
    """dpkg-shlibdeps' `Depends` for every ELF file in the package, plus the libraries
    opened at run time. The bundle's own libraries are searched for inside it first."""
    (work / "debian").mkdir(exist_ok=True)
    (work / "debian" / "control").write_text(
        f"Source: {PACKAGE}\n\nPackage: {PACKAGE}\nArchitecture: any\n", encoding="utf-8"
    )
    elf_files = sorted(str(path.relative_to(work)) for path in walk(root) if is_elf(path))
    bundle = (root / INSTALL_DIR / "_internal").relative_to(work)
    private = [f"-l{folder}" for folder in (bundle, bundle / "PySide6" / "Qt" / "lib")]
    # --warnings=0: its hints about libraries linked without need are Qt's and Python's
    # business; a library it cannot find or place in a package still stops the build.
    output = run(["dpkg-shlibdeps", "-O", "--warnings=0", *private, *elf_files], cwd=work)
    found = [
        line.split("=", 1)[1] for line in output.splitlines() if line.startswith("shlibs:Depends=")
    ]
    if not found:
        raise BuildError(f"dpkg-shlibdeps named no dependencies:\n{output}")
    depends = [entry.strip() for entry in found[0].split(",") if entry.strip()]
    return sorted({*depends, *LOADED_AT_RUN_TIME})


def control_text(version: str, arch: str, installed_kib: int, depends: list[str]) -> str:
    """The DEBIAN/control file."""
    fields = {
        "Package": PACKAGE,
        "Version": version,
        "Architecture": arch,
        "Maintainer": MAINTAINER,
        "Installed-Size": str(installed_kib),
        "Depends": ", ".join(depends),
        "Recommends": ", ".join(RECOMMENDS),
        "Section": "comm",
        "Priority": "optional",
        "Description": DESCRIPTION,
    }
    return "".join(f"{key}: {value}\n" for key, value in fields.items())


def md5sums_text(root: Path) -> str:
    """DEBIAN/md5sums, which `dpkg --verify` checks installed files against. Conffiles
    are left out, as dh_md5sums does: dpkg records their sums itself."""
    lines = []
    conffiles = {root / path for path in CONFFILES}
    for path in walk(root):
        if path.is_file() and not path.is_symlink() and path not in conffiles:
            digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
            lines.append(f"{digest}  {path.relative_to(root)}\n")
    return "".join(lines)


def conffiles_text() -> str:
    """DEBIAN/conffiles: the absolute path of each file IT may edit."""
    return "".join(f"/{path}\n" for path in CONFFILES)


def build(frozen: Path, out: Path, work: Path, package_version: str | None = None) -> Path:
    """Stages the package in `work` and writes the .deb into `out`; returns its path.
    `package_version` labels the package only (the app inside keeps the project's): tests
    build a later package from the same frozen app to try an upgrade."""
    project = project_version(ROOT / "pyproject.toml")
    check_frozen(frozen, project)
    version = package_version or project
    arch = architecture()
    if work.exists():
        shutil.rmtree(work)
    root = work / "debian" / PACKAGE
    stage_files(frozen, root, work / "icons")
    set_modes(root)
    depends = library_depends(work, root)
    installed_kib = installed_size_kib(root)
    md5sums = md5sums_text(root)
    control = root / "DEBIAN"
    control.mkdir(mode=0o755)
    (control / "control").write_text(
        control_text(version, arch, installed_kib, depends), encoding="utf-8"
    )
    (control / "md5sums").write_text(md5sums, encoding="utf-8")
    (control / "conffiles").write_text(conffiles_text(), encoding="utf-8")
    for path in control.iterdir():
        path.chmod(0o644)
    out.mkdir(parents=True, exist_ok=True)
    deb = out / f"{PACKAGE}_{version}_{arch}.deb"
    run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(deb)])
    return deb


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Build the Debian package of agent-toolbar.")
    parser.add_argument(
        "--frozen", type=Path, default=ROOT / "dist" / PACKAGE, help="the frozen build's folder"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the .deb goes")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "deb", help="a scratch folder, emptied"
    )
    parser.add_argument(
        "--package-version",
        help="label the package with this version instead of the project's (upgrade tests)",
    )
    args = parser.parse_args(argv)
    try:
        deb = build(
            args.frozen.resolve(), args.out.resolve(), args.work.resolve(), args.package_version
        )
    except (BuildError, OSError) as error:
        print(f"build_deb: {error}", file=sys.stderr)
        return 1
    print(f"build_deb: wrote {deb}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
