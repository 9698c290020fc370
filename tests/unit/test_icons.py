"""The icon set rendered from the SVG, its Windows and macOS containers read back, the
desktop entry and metainfo validated, and the window given the icon.

The containers are read twice: by the small readers here, which know the formats'
layouts, and by Qt's own ICO and ICNS image plugins, as other programs would read them.
"""

import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtWidgets import QApplication

from agent_toolbar.ui import app
from tests.helpers.qt import application
from tests.helpers.recipes import APP_ID, DESKTOP, DIAL_DESKTOP, LINUX, desktop_entry

ROOT = Path(__file__).parents[2]
SOURCE = ROOT / "resources" / "icons" / "agent-toolbar.svg"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"

HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_ENTRIES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def icons(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The script run as the build runs it, on no display."""
    outdir = tmp_path_factory.mktemp("icons")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_icons.py"), str(outdir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout == f"make_icons: wrote 11 files into {outdir}\n"
    return outdir


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header chunk, which must come first."""
    assert data.startswith(PNG_SIGNATURE)
    length, kind, width, height = struct.unpack(">I4sII", data[8:24])
    assert (length, kind) == (13, b"IHDR")
    return width, height


def assert_drawn(data: bytes, size: int) -> None:
    """A PNG `size` pixels square of the drawing."""
    assert png_size(data) == (size, size)
    assert_image_drawn(QImage.fromData(data), size)


def assert_image_drawn(image: QImage, size: int) -> None:
    """Transparent corners, the opaque blue tile and the white headset on it."""
    assert (image.width(), image.height()) == (size, size)
    assert image.pixelColor(0, 0).alpha() == 0
    assert image.pixelColor(size // 2, size // 8).alpha() == 255
    # Each pixel as 0xAARRGGBB.
    pixels = array("I", bytes(image.convertToFormat(QImage.Format.Format_ARGB32).constBits()))
    assert 0xFFFFFFFF in pixels
    blue = [
        pixel
        for pixel in pixels
        if pixel >> 24 == 255 and (pixel & 0xFF) > 2 * ((pixel >> 16) & 0xFF)
    ]
    assert len(blue) > len(pixels) // 4


def ico_entries(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(pixels, payload) of each image in a Windows icon file."""
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    end = 6 + 16 * count
    for index in range(count):
        entry = data[6 + 16 * index : 22 + 16 * index]
        width, height, colours, zero, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", entry
        )
        assert (width, colours, zero, planes, bits) == (height, 0, 0, 1, 32)
        assert offset == end, "payloads follow the directory and each other"
        end = offset + length
        yield width or 256, data[offset:end]
    assert end == len(data)


def icns_entries(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(type, payload) of each entry of an Apple icon file."""
    magic, total = struct.unpack(">4sI", data[:8])
    assert (magic, total) == (b"icns", len(data))
    offset = 8
    while offset < total:
        kind, length = struct.unpack(">4sI", data[offset : offset + 8])
        assert length > 8
        yield kind, data[offset + 8 : offset + length]
        offset += length
    assert offset == total


def sizes_qt_reads(path: Path) -> list[tuple[int, int]]:
    reader = QImageReader(str(path))
    found = []
    for index in range(reader.imageCount()):
        assert reader.jumpToImage(index)
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        found.append((image.width(), image.height()))
    return found


def test_every_theme_size_is_drawn(icons: Path) -> None:
    for size in HICOLOR_SIZES:
        path = icons / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert_drawn(path.read_bytes(), size)
    scalable = icons / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == SOURCE.read_bytes()


def test_windows_icon_holds_a_png_per_size(icons: Path) -> None:
    path = icons / "agent-toolbar.ico"
    entries = list(ico_entries(path.read_bytes()))
    assert [size for size, _ in entries] == list(ICO_SIZES)
    for size, payload in entries:
        assert_drawn(payload, size)
    assert sorted(sizes_qt_reads(path)) == [(size, size) for size in ICO_SIZES]


def test_macos_icon_holds_a_png_per_type(icons: Path) -> None:
    path = icons / "agent-toolbar.icns"
    entries = list(icns_entries(path.read_bytes()))
    assert [kind for kind, _ in entries] == [kind for kind, _ in ICNS_ENTRIES]
    for (_, payload), (_, size) in zip(entries, ICNS_ENTRIES, strict=True):
        assert_drawn(payload, size)
    assert sorted(sizes_qt_reads(path)) == [(size, size) for _, size in ICNS_ENTRIES]


def test_an_unwritable_folder_is_named_in_plain_words(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_icons.py"), str(blocker / "icons")],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert (
        done.stderr
        == f"make_icons: cannot write the icons into {blocker / 'icons'}: Not a directory\n"
    )


def test_desktop_entry_names_the_app_as_qt_does() -> None:
    entry = desktop_entry(DESKTOP)
    assert DESKTOP.stem == app.DESKTOP_FILE
    assert entry["Icon"] == APP_ID
    assert entry["Exec"] == "agent-toolbar"
    # Qt's X11 windows have WM_CLASS ("agent-toolbar", application name): checked with
    # xprop on the demo under Xvfb.
    assert entry["StartupWMClass"] == app.APPLICATION
    assert entry["Categories"] == "Network;Telephony;Qt;"
    assert {"Name[ru]", "GenericName[ru]", "Comment[ru]"} <= set(entry)


def test_metainfo_launches_the_desktop_entry() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert component.findtext("provides/binary") == "agent-toolbar"
    assert component.find("releases/release[@version='0.1.0']") is not None


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate is not installed (Debian: desktop-file-utils)",
)
@pytest.mark.parametrize("path", [DESKTOP, DIAL_DESKTOP], ids=["main", "dial"])
def test_desktop_entry_is_valid(path: Path) -> None:
    done = subprocess.run(
        ["desktop-file-validate", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout + done.stderr == ""


@pytest.mark.skipif(
    shutil.which("appstreamcli") is None,
    reason="appstreamcli is not installed (Debian: appstream)",
)
def test_metainfo_is_valid() -> None:
    done = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--no-color", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    problems = [line for line in done.stdout.splitlines() if line.startswith(("E:", "W:"))]
    assert problems == []


def test_the_app_gives_its_windows_the_icon() -> None:
    application()
    before = (QApplication.windowIcon(), QApplication.desktopFileName())
    try:
        app.identify()
        icon = QApplication.windowIcon()
        assert QApplication.desktopFileName() == APP_ID
        assert_image_drawn(icon.pixmap(32, 32).toImage(), 32)
    finally:
        QApplication.setWindowIcon(before[0])
        QApplication.setDesktopFileName(before[1])
