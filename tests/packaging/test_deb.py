"""What the built .deb holds: its files and their modes, its control file, a Depends that
covers every system library the bundle links to, valid desktop files, and no trace of the
machine it was built on."""

import io
import re
import struct
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.packaging.package import (
    APP_ID,
    BUNDLE,
    ICON_SIZES,
    INSTALL_DIR,
    NAME,
    POLICY,
    ROOT,
    VERSION,
    architecture,
    control_fields,
    dependency_names,
)

SHARE = Path("usr") / "share"
DESKTOP = SHARE / "applications" / f"{APP_ID}.desktop"
METAINFO = SHARE / "metainfo" / f"{APP_ID}.metainfo.xml"


def test_the_files_land_where_the_system_looks_for_them(unpacked: Path) -> None:
    assert (unpacked / INSTALL_DIR / NAME).is_file()
    launcher = unpacked / "usr" / "bin" / NAME
    assert launcher.is_symlink()
    assert launcher.readlink() == Path("/") / INSTALL_DIR / NAME
    assert (unpacked / DESKTOP).is_file()
    assert (unpacked / METAINFO).is_file()
    copyright_text = (unpacked / SHARE / "doc" / NAME / "copyright").read_text()
    assert "License: MIT" in copyright_text
    assert "PySide6_Essentials" in copyright_text
    assert "@BUNDLED@" not in copyright_text
    hicolor = unpacked / SHARE / "icons" / "hicolor"
    for size in ICON_SIZES:
        png = (hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert struct.unpack(">II", png[16:24]) == (size, size)
    assert (hicolor / "scalable" / "apps" / f"{APP_ID}.svg").read_text().lstrip().startswith("<")


def test_the_control_file_describes_the_package(deb: Path, unpacked: Path) -> None:
    fields = control_fields(deb)
    assert fields["Package"] == NAME
    assert fields["Version"] == VERSION
    assert fields["Architecture"] == architecture()
    assert re.fullmatch(r"[^<>]+ <[^<>@\s]+@[^<>@\s]+>", fields["Maintainer"])
    assert fields["Section"] == "comm"
    assert fields["Priority"] == "optional"
    assert fields["Installed-Size"] == str(installed_size_kib(unpacked))
    assert fields["Description"].startswith("desktop toolbar for call-center agents\n ")
    assert fields["Recommends"] == "pulseaudio-utils, gnome-keyring | kwalletmanager"
    depends = dependency_names(fields["Depends"])
    assert {"libc6", "libportaudio2", "libxcb-cursor0", "libxkbcommon-x11-0"} <= depends
    assert re.search(r"\blibc6 \(>= 2\.3[4-9]\)", fields["Depends"])
    assert "Homepage" not in fields
    assert "Pre-Depends" not in fields


def test_the_policy_example_is_a_conffile(deb: Path, unpacked: Path) -> None:
    """dpkg keeps IT's edits of a conffile on upgrade; md5sums leaves it to dpkg's own record."""
    conffiles = subprocess.run(
        ["dpkg-deb", "--info", str(deb), "conffiles"], capture_output=True, text=True, check=True
    ).stdout
    assert conffiles.splitlines() == [str(POLICY)]
    shipped = unpacked / POLICY.relative_to("/")
    assert shipped.read_bytes() == (ROOT / "packaging" / "linux" / "policy.toml").read_bytes()
    md5sums = subprocess.run(
        ["dpkg-deb", "--info", str(deb), "md5sums"], capture_output=True, text=True, check=True
    ).stdout
    assert str(POLICY.relative_to("/")) not in md5sums
    assert f"{INSTALL_DIR / NAME}\n" in md5sums


def installed_size_kib(root: Path) -> int:
    """dpkg's count: every file's size in KiB rounded up, 1 for each folder and symlink."""
    total = 0
    for path in root.rglob("*"):
        is_file = path.is_file() and not path.is_symlink()
        total += -(-path.stat().st_size // 1024) if is_file else 1
    return total


def test_every_file_belongs_to_root_with_the_mode_it_needs(deb: Path) -> None:
    data = subprocess.run(
        ["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=True
    ).stdout
    wrong = []
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        members = archive.getmembers()
    for member in members:
        if member.issym():
            expected = member.mode
        elif member.isdir() or member.name == f"./{INSTALL_DIR / NAME}":
            expected = 0o755
        else:
            expected = 0o644
        owner = (member.uid, member.gid, member.uname, member.gname)
        if member.mode != expected or owner != (0, 0, "root", "root") or member.isdev():
            wrong.append(f"{member.name} {oct(member.mode)} {owner}")
    assert len(members) > 100
    assert wrong == []


def test_depends_names_the_package_of_every_system_library_the_bundle_links_to(
    deb: Path, unpacked: Path
) -> None:
    bundled = {path.name for path in (unpacked / BUNDLE).rglob("*.so*")}
    needed = needed_libraries(elf_files(unpacked))
    from_system = {name for names in needed.values() for name in names} - bundled
    assert {"libc.so.6", "libxcb-cursor.so.0", "libfontconfig.so.1"} <= from_system
    owners = owning_packages(from_system)
    assert sorted(from_system - owners.keys()) == [], "libraries no installed package has"
    depends = dependency_names(control_fields(deb)["Depends"])
    missing = [f"{lib} ({package})" for lib, package in owners.items() if package not in depends]
    assert sorted(missing) == []


def elf_files(root: Path) -> list[Path]:
    found = []
    for path in sorted((root / INSTALL_DIR).rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as file:
                if file.read(4) == b"\x7fELF":
                    found.append(path)
    assert len(found) > 50
    return found


def needed_libraries(files: list[Path]) -> dict[str, list[str]]:
    """Each ELF file's DT_NEEDED entries, from binutils' readelf."""
    output = subprocess.run(
        ["readelf", "--dynamic", "--wide", *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    needed: dict[str, list[str]] = {}
    current = ""
    for line in output.splitlines():
        if line.startswith("File: "):
            current = line.removeprefix("File: ")
            needed[current] = []
        elif "(NEEDED)" in line:
            needed[current].append(line.rsplit("[", 1)[1].rstrip("]"))
    return needed


def owning_packages(sonames: set[str]) -> dict[str, str]:
    """soname -> the Debian package whose file the dynamic linker would load for it."""
    multiarch = subprocess.run(
        ["dpkg-architecture", "-qDEB_HOST_MULTIARCH"], capture_output=True, text=True, check=True
    ).stdout.strip()
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    paths: dict[str, str] = {}
    for line in cache.splitlines():
        name, _, path = line.strip().partition(" => ")
        soname = name.split(" ")[0]
        if soname in sonames and f"/{multiarch}/" in path:
            paths.setdefault(soname, path)
    candidates = {soname: aliases(Path(path)) for soname, path in paths.items()}
    owners = subprocess.run(
        ["dpkg", "--search", *{alias for each in candidates.values() for alias in each}],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    package_of = {}
    for line in owners.splitlines():
        package, _, path = line.partition(": ")
        if path and not line.startswith("diversion"):
            package_of[path] = package.split(":")[0]
    return {
        soname: next(package_of[alias] for alias in each if alias in package_of)
        for soname, each in candidates.items()
        if any(alias in package_of for alias in each)
    }


def aliases(path: Path) -> list[str]:
    """The names dpkg may have recorded a library under: /lib or /usr/lib (merged /usr),
    before or after its symlinks."""
    names = []
    for each in (path, path.resolve()):
        text = str(each)
        plain = text.removeprefix("/usr")
        names += [plain, "/usr" + plain]
    return names


def test_no_file_names_a_path_of_the_build_machine(unpacked: Path) -> None:
    # The Python the build ran on, unless it is the system's own (whose prefix is /usr).
    build_paths = {str(ROOT), sys.prefix} | (
        set() if sys.base_prefix in ("/usr", "/usr/local") else {sys.base_prefix}
    )
    found = []
    for path in sorted(unpacked.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        data = path.read_bytes()
        if str(ROOT).encode() in data:
            found.append(f"{path.relative_to(unpacked)}: {ROOT}")
        if b"\0" in data[:8192]:
            continue
        text = data.decode("utf-8", errors="replace")
        found += [f"{path.relative_to(unpacked)}: {each}" for each in build_paths if each in text]
    assert found == []


@pytest.mark.parametrize(
    "command",
    [
        ["desktop-file-validate", str(DESKTOP)],
        ["appstreamcli", "validate", "--no-net", str(METAINFO)],
    ],
    ids=["desktop entry", "metainfo"],
)
def test_the_desktop_files_are_valid(unpacked: Path, command: list[str]) -> None:
    result = subprocess.run(command, cwd=unpacked, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()
