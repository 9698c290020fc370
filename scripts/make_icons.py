"""Renders the application icon from its SVG into every size and container the
platforms ask for: `python scripts/make_icons.py OUTDIR`.

One drawing, resources/icons/agent-toolbar.svg, is the source; nothing is drawn by
hand per size. OUTDIR receives:

- hicolor/NxN/apps/org.agenttoolbar.AgentToolbar.png for the Linux icon theme, and
  hicolor/scalable/apps/org.agenttoolbar.AgentToolbar.svg (the source, copied);
- agent-toolbar.ico for Windows: PNG entries from 16 to 256 pixels;
- agent-toolbar.icns for macOS: PNG entries from 16 to 1024 pixels.

Qt renders (QtSvg, antialiased, with alpha) and the standard library writes the two
containers, so no image tool has to be installed. Rendering needs no display.
"""

import argparse
import shutil
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

APP_ID = "org.agenttoolbar.AgentToolbar"
SOURCE = Path(__file__).parents[1] / "resources" / "icons" / "agent-toolbar.svg"

HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
)
"""(OSType, pixels) of each macOS entry; each of these types may hold PNG data."""


class IconError(Exception):
    """The source cannot be rendered or the output cannot be written."""


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """The drawing as a PNG `size` pixels square, with a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(image):
        raise IconError(f"Qt could not encode the {size}-pixel icon: {writer.errorString()}")
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows icon file: a 6-byte header, a 16-byte entry per image, then the PNGs.

    Sizes are one byte, where 0 means 256.
    """
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries = b""
    for size, png in pngs.items():
        side = 0 if size == 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
    return header + entries + b"".join(pngs.values())


def icns(entries: list[tuple[bytes, bytes]]) -> bytes:
    """An Apple icon file: 'icns' and its length, then per entry its type, length and
    data; lengths are big-endian and count their own 8-byte headers."""
    body = b"".join(kind + struct.pack(">I", 8 + len(data)) + data for kind, data in entries)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_icons(source: Path, outdir: Path) -> list[Path]:
    """Writes every icon into `outdir`; returns the files written."""
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise IconError(f"{source} is not an SVG drawing Qt can render")
    sizes = {*HICOLOR_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)}
    pngs = {size: render_png(renderer, size) for size in sorted(sizes)}
    written: list[Path] = []
    try:
        for size in HICOLOR_SIZES:
            path = outdir / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pngs[size])
            written.append(path)
        scalable = outdir / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
        scalable.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, scalable)
        written.append(scalable)
        windows = outdir / "agent-toolbar.ico"
        windows.write_bytes(ico({size: pngs[size] for size in ICO_SIZES}))
        written.append(windows)
        mac = outdir / "agent-toolbar.icns"
        mac.write_bytes(icns([(kind, pngs[size]) for kind, size in ICNS_TYPES]))
        written.append(mac)
    except OSError as error:
        raise IconError(f"cannot write the icons into {outdir}: {error.strerror}") from None
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description="Render the application icon into every size and container."
    )
    parser.add_argument("outdir", type=Path, help="directory to write the icons into")
    args = parser.parse_args(argv)
    try:
        written = make_icons(SOURCE, args.outdir)
    except IconError as error:
        print(f"make_icons: {error}", file=sys.stderr)
        return 1
    print(f"make_icons: wrote {len(written)} files into {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
