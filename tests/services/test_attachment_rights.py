"""Photos and roles: adding one needs the right to edit drafts, reading one the right to read cases."""

from __future__ import annotations

import pytest

from blo_desk.domain.errors import PermissionDeniedError
from blo_desk.domain.permissions import SYSTEM, Principal, Role
from blo_desk.services.registry import open_services

OFFICER = Principal("karim", Role.OFFICER, "UZ-DUS")
ANALYST = Principal("lola", Role.ANALYST, "")
ADMIN = Principal("admin", Role.ADMIN, "")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200)


def _as(settings, principal):
    return open_services(settings, principal=principal)


def test_adding_needs_edit_rights_and_reading_needs_read_rights(settings, tmp_path):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(JPEG)
    open_services(settings, principal=SYSTEM).close()
    officer = _as(settings, OFFICER)
    try:
        attachment = officer.attachments.add_file(path=photo)
        assert officer.attachments.read_bytes(sha256=attachment.sha256) == JPEG
    finally:
        officer.close()
    analyst = _as(settings, ANALYST)
    try:
        assert analyst.attachments.path_of(sha256=attachment.sha256).read_bytes() == JPEG
        with pytest.raises(PermissionDeniedError):
            analyst.attachments.add_file(path=photo)
    finally:
        analyst.close()
    admin = _as(settings, ADMIN)
    try:
        with pytest.raises(PermissionDeniedError):
            admin.attachments.read_bytes(sha256=attachment.sha256)
        with pytest.raises(PermissionDeniedError):
            admin.attachments.path_of(sha256=attachment.sha256)
    finally:
        admin.close()
