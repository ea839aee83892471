"""Run BLO Desk with `python -m blo_desk`."""

import multiprocessing
import sys

if __name__ == "__main__":  # not when a worker process (spawned, it imports this module as __mp_main__) starts
    # The installed app is also the interpreter of its worker processes (HQ's import checks a big bundle's records
    # in one, services/import_work.py): started as such a worker, freeze_support runs it and exits here.
    multiprocessing.freeze_support()
    if getattr(sys, "frozen", False) and sys.argv[1:2] == ["--pdf-process"]:  # reports/pdf_process.CHILD_FLAG
        from blo_desk.reports.pdf_process import serve  # the installed app as the desk's PDF builder process

        serve()
        raise SystemExit(0)

    from blo_desk.cli import main

    raise SystemExit(main())
