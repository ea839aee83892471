"""Run BLO Desk with `python -m blo_desk`."""

import sys

if getattr(sys, "frozen", False) and sys.argv[1:2] == ["--pdf-process"]:  # reports/pdf_process.CHILD_FLAG
    from blo_desk.reports.pdf_process import serve  # the installed app as the desk's PDF builder process

    serve()
    raise SystemExit(0)

from blo_desk.cli import main  # noqa: E402

raise SystemExit(main())
