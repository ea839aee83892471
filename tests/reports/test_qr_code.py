"""The protocol's QR encoder picks its mask with a faster penalty: the same number as reportlab's, so the same code."""

from __future__ import annotations

import random
import string

from reportlab.graphics.barcode import qrencoder

from blo_desk.reports.protocol import _QRCode, lost_points

ALPHANUMERIC = string.ascii_uppercase + string.digits + " $%*+-./:"


def test_the_mask_penalty_and_the_code_are_reportlabs_own():
    # GIVEN payloads of every length a check code may have, at each error correction level
    rng = random.Random(7)
    levels = (qrencoder.QRErrorCorrectLevel.L, qrencoder.QRErrorCorrectLevel.M, qrencoder.QRErrorCorrectLevel.H)
    for _ in range(60):
        value = "".join(rng.choice(ALPHANUMERIC) for _ in range(rng.randint(1, 140)))
        level = rng.choice(levels)
        stock = qrencoder.QRCode(None, level)
        stock.addData(value)
        stock.make()
        # WHEN each of the eight masks is scored THEN the penalty is reportlab's, to the point
        for pattern in range(8):
            stock.makeImpl(True, pattern)
            assert lost_points(stock.modules) == qrencoder.QRUtil.getLostPoint(stock), (value, pattern)
        # AND the code made is module for module the one reportlab makes
        ours = _QRCode(None, level)
        ours.addData(value)
        ours.make()
        stock.make()
        assert ours.modules == stock.modules, value
