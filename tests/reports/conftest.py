"""Fixtures for printed pages: a store with the demo cases, and helpers that read a PDF back as a user would."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from blo_desk.services.demo import load_demo


@pytest.fixture
def demo(services):
    """Services over a store holding the demo cases; `demo.dustlik` is the Dustlik case."""
    saved = load_demo(cases=services.cases)
    services.dustlik = next(c for c in saved if c.post_code == "UZ-DUS" and c.items[0].brand == "Oztay Diabolo")
    return services


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page, as pdftotext reads it (reading order)."""
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


def flat(text: str) -> str:
    """Text with every run of white space made one space, to find values that wrapped."""
    return re.sub(r"[\s\u00a0]+", " ", text)


def qpdf_check(pdf: bytes, tmp_path: Path) -> subprocess.CompletedProcess:
    path = tmp_path / "check.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)


def font_report(pdf: bytes, tmp_path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font in the PDF, as pdffonts lists them."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    fonts = []
    for line in lines:
        parts = line.split()
        # name type encoding emb sub uni object ID: 'emb' is the 5th column from the end
        fonts.append((parts[0], parts[-5] == "yes"))
    return fonts
