"""The documented zip layout of a bundle file: entries back to back from byte 0, the directory right after, no comment.

A reader that accepts bytes before the first entry, between entries or after the end of the central directory,
or a zip comment, accepts many files for one bundle. `check_layout` refuses them before anything is read.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

_EOCD = struct.Struct("<4s4H2LH")  # end of central directory: 22 bytes
_ZIP64_LOCATOR = struct.Struct("<4sLQL")  # 20 bytes
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")  # 56 bytes
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # local file header: 30 bytes
_DESCRIPTOR_SIG = b"PK\x07\x08"


@dataclass(frozen=True, slots=True)
class LayoutProblem:
    """What is wrong: `comment` (a zip comment), `outside` (bytes before the first entry or after the
    directory), `member` (the entry `name` is not followed directly by the next one)."""

    kind: str
    name: str = ""


def _descriptor_length(fh: BinaryIO, at: int, info: zipfile.ZipInfo, room: int) -> int | None:
    """The length of the data descriptor at `at` (one of the four forms the format allows) whose values are the
    directory's, and which ends exactly where the next entry begins (`room` bytes on); None otherwise."""
    fh.seek(at)
    data = fh.read(min(room, 24))
    values = (info.CRC, info.compress_size, info.file_size)
    for signed in (True, False):
        for wide in (True, False):
            fmt = "<L" + ("QQ" if wide else "LL")
            start = 4 if signed else 0
            length = start + struct.calcsize(fmt)
            if length != room or len(data) < length or (signed and data[:4] != _DESCRIPTOR_SIG):
                continue
            if struct.unpack_from(fmt, data, start) == values:
                return length
    return None


def layout_problem(fh: BinaryIO, size: int, infos: list[zipfile.ZipInfo]) -> LayoutProblem | None:
    """Check the whole file against the layout the bundle format documents (see docs/bundle-format.md)."""
    if size < _EOCD.size:
        return LayoutProblem("outside")
    fh.seek(size - _EOCD.size)
    tail = fh.read(_EOCD.size)
    signature, disk, cd_disk, _here, count, cd_size, cd_offset, comment = _EOCD.unpack(tail)
    if signature != b"PK\x05\x06" or comment:
        fh.seek(max(0, size - 65557))
        window = fh.read()
        found = window.rfind(b"PK\x05\x06")
        if found >= 0 and found + _EOCD.size <= len(window):
            stated = _EOCD.unpack_from(window, found)[-1]
            if stated and found + _EOCD.size + stated == len(window):
                return LayoutProblem("comment")
        return LayoutProblem("outside")
    if disk or cd_disk:
        return LayoutProblem("outside")
    directory_end = size - _EOCD.size
    locator_at = directory_end - _ZIP64_LOCATOR.size
    if locator_at >= 0:
        fh.seek(locator_at)
        locator = _ZIP64_LOCATOR.unpack(fh.read(_ZIP64_LOCATOR.size))
        if locator[0] == b"PK\x06\x07":
            record_at = locator[2]
            if record_at + _ZIP64_EOCD.size != locator_at:
                return LayoutProblem("outside")
            fh.seek(record_at)
            record = _ZIP64_EOCD.unpack(fh.read(_ZIP64_EOCD.size))
            if record[0] != b"PK\x06\x06" or record[1] != _ZIP64_EOCD.size - 12:
                return LayoutProblem("outside")
            count, cd_size, cd_offset = record[7], record[8], record[9]
            directory_end = record_at
    if cd_offset + cd_size != directory_end or count != len(infos):
        return LayoutProblem("outside")
    position = 0
    for index, info in enumerate(infos):
        if info.header_offset != position:
            return LayoutProblem("outside") if index == 0 else LayoutProblem("member", infos[index - 1].orig_filename)
        fh.seek(position)
        header = fh.read(_LOCAL.size)
        if len(header) != _LOCAL.size or header[:4] != b"PK\x03\x04":
            return LayoutProblem("member", info.orig_filename)
        name_length, extra_length = _LOCAL.unpack(header)[-2:]
        data_end = position + _LOCAL.size + name_length + extra_length + info.compress_size
        following = infos[index + 1].header_offset if index + 1 < len(infos) else cd_offset
        if info.flag_bits & 0x08:
            length = _descriptor_length(fh, data_end, info, following - data_end)
            if length is None:
                return LayoutProblem("member", info.orig_filename)
            data_end += length
        if data_end != following:
            return LayoutProblem("member", info.orig_filename)
        position = data_end
    if position != cd_offset:
        return LayoutProblem("outside")
    return None
