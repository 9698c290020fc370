"""How big the Linux package is, against its budgets: `python benchmarks/package_size.py`.

Prints the frozen folder's size (`make frozen`), the .deb's size and its Installed-Size
(`make deb`), and the ten largest files of the frozen folder with what each weighs
compressed (xz at dpkg-deb's default preset), so that a regression points at its cause.
Exits 1 when a budget is exceeded. MB here is 1,000,000 bytes.
"""

import argparse
import lzma
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALLED_BUDGET_MB = 150
COMPRESSED_BUDGET_MB = 60
LARGEST = 10


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:7.1f} MB"


def files_of(folder: Path) -> list[Path]:
    """Regular files under `folder`, symlinks not followed or counted."""
    return [
        Path(parent) / name
        for parent, _, names in os.walk(folder)
        for name in names
        if not (Path(parent) / name).is_symlink()
    ]


def xz_size(path: Path) -> int:
    """Bytes of `path` once compressed as dpkg-deb does (xz, preset 6)."""
    return len(lzma.compress(path.read_bytes(), preset=6))


def installed_size_kib(deb: Path) -> int:
    output = subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Installed-Size"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(output.strip())


def verdict(size: int, budget_mb: int) -> tuple[str, bool]:
    within = size <= budget_mb * 1_000_000
    return (f"budget {budget_mb} MB: {'within' if within else 'OVER'}", within)


def default_deb() -> Path:
    with (ROOT / "pyproject.toml").open("rb") as file:
        version = tomllib.load(file)["project"]["version"]
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    return ROOT / "dist" / f"agent-toolbar_{version}_{arch}.deb"


def report(frozen: Path, deb: Path) -> bool:
    """Prints the sizes; True when both budgets hold."""
    files = files_of(frozen)
    folder_size = sum(path.stat().st_size for path in files)
    deb_size = deb.stat().st_size
    installed = installed_size_kib(deb) * 1024
    compressed_note, compressed_ok = verdict(deb_size, COMPRESSED_BUDGET_MB)
    installed_note, installed_ok = verdict(installed, INSTALLED_BUDGET_MB)
    print(f"frozen folder   {megabytes(folder_size)}  {len(files)} files in {frozen.name}/")
    print(f"package (.deb)  {megabytes(deb_size)}  compressed; {compressed_note}")
    print(f"installed       {megabytes(installed)}  Installed-Size; {installed_note}")
    print(f"\nthe {LARGEST} largest files of the frozen folder (size, then compressed):")
    for path in sorted(files, key=lambda each: each.stat().st_size, reverse=True)[:LARGEST]:
        size = path.stat().st_size
        print(f"  {megabytes(size)}  {megabytes(xz_size(path))}  {path.relative_to(frozen)}")
    return compressed_ok and installed_ok


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Sizes of the Linux package and its budgets.")
    parser.add_argument("--frozen", type=Path, default=ROOT / "dist" / "agent-toolbar")
    parser.add_argument("--deb", type=Path, help="default: dist/agent-toolbar_VERSION_ARCH.deb")
    args = parser.parse_args(argv)
    deb = args.deb or default_deb()
    for path, make in ((args.frozen, "make frozen"), (deb, "make deb")):
        if not path.exists():
            print(f"package_size: {path} is missing: run {make} first", file=sys.stderr)
            return 2
    return 0 if report(args.frozen, deb) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
