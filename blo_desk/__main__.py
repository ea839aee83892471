"""Run BLO Desk with `python -m blo_desk`."""

from blo_desk.cli import main

raise SystemExit(main())
