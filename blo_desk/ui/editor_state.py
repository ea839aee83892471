"""The case editor's save state, without widgets: changed or not, one save at a time, what waits, recovery copy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class RecoveryCopy(Protocol):
    """Where the typed form is kept until it is saved (ui/recovery.py's RecoveryFile)."""

    def write(self, state: dict) -> None: ...

    def clear(self) -> None: ...


class SaveState:
    """The form against its baseline (the content last loaded or saved), and the saves of one editor.

    One save runs at a time: a save asked for while one runs is queued once (`save_again`) and runs when the first is
    done, if the form still differs. Callbacks queued with a save (finalize, leave the editor) run after the last
    save is done, with its result; a failed save or a form with errors drops them. The recovery copy holds the raw
    form while it differs from the baseline, and is cleared once it does not.

    `content`: the form as typed (plain, comparable values); `raw_state`: the recovery copy of the form.
    """

    def __init__(self, *, content: Callable[[], dict], raw_state: Callable[[], dict],
                 recovery: RecoveryCopy | None = None) -> None:
        self._content = content
        self._raw_state = raw_state
        self.recovery = recovery
        self.baseline: dict | None = None
        self.saving = False
        self.save_again = False
        self.after_save: list[Callable[[Any], None]] = []

    # --- changed or not ------------------------------------------------------------------------------------------
    def content(self) -> dict:
        return self._content()

    def reset(self) -> None:
        """The form shows what was just loaded: nothing to save."""
        self.baseline = self._content()

    @property
    def dirty(self) -> bool:
        return self.baseline is not None and self._content() != self.baseline

    # --- one save at a time -------------------------------------------------------------------------------------
    def request(self, then: Callable[[Any], None] | None = None) -> bool:
        """A save is asked for (`then` waits for it): True when it may start now; False when one runs already, and
        one follow-up save is queued for when it is done."""
        if then is not None:
            self.after_save.append(then)
        if self.saving:
            self.save_again = True
            return False
        return True

    def start(self) -> dict:
        """A save starts on a worker; returns the content it saves (the baseline once it is done)."""
        self.saving = True
        return self._content()

    def finished(self, content: dict) -> None:
        """The save of `content` is done: that content is the baseline now."""
        self.saving = False
        self.baseline = content

    def settle(self, saved: Any, *, save: Callable[[], bool]) -> None:
        """After a save is done and shown: the queued follow-up save if the form still differs (`save` starts it, and
        the callbacks wait for it), else the callbacks with `saved`."""
        if self.save_again:
            self.save_again = False
            if self.dirty and save():
                # The queued callbacks (finalize, leave the editor) stay in after_save: they run once this last
                # save is done, with its revision, not the one just superseded.
                return
        self.run_callbacks(saved)

    def run_callbacks(self, saved: Any) -> None:
        callbacks, self.after_save = self.after_save, []
        for callback in callbacks:
            callback(saved)

    def drop_callbacks(self) -> None:
        """The save was refused (errors in the form): nothing that waited for it runs."""
        self.after_save.clear()

    def failed(self) -> None:
        """The save failed: no follow-up, nothing that waited for it runs."""
        self.saving = False
        self.save_again = False
        self.after_save.clear()

    # --- the recovery copy ---------------------------------------------------------------------------------------
    def write_recovery(self) -> None:
        if self.recovery is None:
            return
        if self.dirty:
            self.recovery.write(self._raw_state())
        else:
            self.recovery.clear()
