"""A `dealboard backup` or `restore` that stops at a chosen step, to be killed there.

`backup_fault_worker.py STEP SIGNAL_FILE DEALBOARD_ARGS...`: runs the command
through `main`, and at STEP writes SIGNAL_FILE and waits for a signal, so
tests/test_backup_faults.py can SIGKILL it at exactly that point:

* `copied` — the copy (backup's `.partial-PID`, restore's `.restoring-PID`)
  is whole and checked, not yet renamed into place;
* `swap` — restore only: the old board has its hidden second name, the new
  one is about to replace it;
* `aside` — restore only: the new board is in place, the old one not yet
  renamed to `before-restore`.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

from dealboard.cli.main import main
from dealboard.db import backup


def stop_here(signal_file: Path) -> None:
    signal_file.write_text(str(os.getpid()))
    while True:
        signal.pause()  # the test kills this process here


def install(step: str, signal_file: Path) -> None:
    if step == "copied":
        check = backup._check_copy

        def checked_then_stop(*args: Any) -> Any:
            result = check(*args)
            stop_here(signal_file)
            return result

        backup._check_copy = checked_then_stop  # type: ignore[assignment]
    elif step == "swap":
        replace = os.replace

        def stop_before_replace(source: Any, target: Any, **kwargs: Any) -> None:
            if ".restoring-" in str(source) or ".partial-" in str(source):
                stop_here(signal_file)
            replace(source, target, **kwargs)

        backup.os.replace = stop_before_replace  # type: ignore[assignment]
    elif step == "aside":
        rename = os.rename

        def stop_before_aside(source: Any, target: Any, **kwargs: Any) -> None:
            if ".aside-" in str(source):
                stop_here(signal_file)
            rename(source, target, **kwargs)

        backup.os.rename = stop_before_aside  # type: ignore[assignment]
    else:
        raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":
    install(sys.argv[1], Path(sys.argv[2]))
    sys.exit(main(sys.argv[3:]))
