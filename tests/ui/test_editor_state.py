"""The editor's save state without widgets: one save at a time, what is dirty, the recovery copy, queued callbacks."""

from __future__ import annotations

from blo_desk.ui.editor_state import SaveState
from blo_desk.ui.recovery import RecoveryFile


class Form:
    """What the editor page does around its SaveState: a form of typed text, and saves that run on a 'worker' which
    the test finishes by hand (save N returns revision N)."""

    def __init__(self, recovery: RecoveryFile | None = None) -> None:
        self.typed = {"narrative": ""}
        self.state = SaveState(content=lambda: dict(self.typed), raw_state=lambda: {"version": 1, **self.typed},
                               recovery=recovery)
        self.state.reset()
        self.running: list[dict] = []  # content of each save started, in order
        self.revision = 0

    def type(self, text: str) -> None:
        self.typed["narrative"] += text

    def save(self, then=None) -> bool:
        if not self.state.request(then):
            return True
        self.running.append(self.state.start())
        return True

    def finish_save(self) -> None:
        content = self.running.pop(0)
        self.revision += 1
        self.state.finished(content)
        self.state.write_recovery()
        self.state.settle(self.revision, save=self.save)


def test_a_save_asked_for_while_one_runs_queues_exactly_one_follow_up():
    # GIVEN a form whose save is running on the worker
    form = Form()
    form.type("Heroin in the spare wheel")
    form.save()
    assert form.state.saving
    # WHEN the officer types on and asks to save twice more before it is done
    form.type(", 2 packages")
    form.save()
    form.save()
    # THEN nothing more runs yet; once the first save is done, one follow-up saves what was typed meanwhile
    assert len(form.running) == 1
    form.finish_save()
    assert form.running == [{"narrative": "Heroin in the spare wheel, 2 packages"}]
    form.finish_save()
    assert form.running == [] and not form.state.saving and not form.state.dirty


def test_a_queued_save_is_skipped_when_nothing_changed_meanwhile():
    # GIVEN a save running, and a second asked for without typing anything new
    form = Form()
    form.type("Cash, 40,000 USD")
    form.save()
    form.save()
    # WHEN the first is done THEN no follow-up runs: the form equals what was saved
    form.finish_save()
    assert form.running == [] and form.revision == 1


def test_unchanged_content_is_not_dirty():
    # GIVEN a freshly loaded form
    form = Form()
    assert not form.state.dirty
    # WHEN text is typed THEN it is dirty; WHEN the same text is taken away again THEN it is not
    form.type("x")
    assert form.state.dirty
    form.typed["narrative"] = ""
    assert not form.state.dirty


def test_the_recovery_copy_holds_what_is_not_saved_and_goes_once_all_is_saved(tmp_path):
    # GIVEN an editor with a recovery file, and text typed but not saved
    recovery = RecoveryFile(tmp_path)
    form = Form(recovery)
    form.type("Written at the post; must survive. Дустлик.")
    # WHEN the recovery copy is written THEN the file holds the typed text
    form.state.write_recovery()
    assert recovery.read()["narrative"] == "Written at the post; must survive. Дустлик."
    # WHEN the officer saves, and types on while the save runs
    form.save()
    form.type(" More.")
    form.finish_save()
    # THEN once it is done, the copy holds what that save did not cover
    assert recovery.read()["narrative"] == "Written at the post; must survive. Дустлик. More."
    # WHEN the next save is done THEN nothing is left unsaved and the copy is gone
    form.save()
    form.finish_save()
    assert recovery.read() is None and not recovery.path.exists()


def test_callbacks_queued_during_a_save_run_after_the_follow_up_save_with_its_result():
    # GIVEN a save running, more typing, and "finalize" asked for meanwhile (it waits for a save)
    form = Form()
    form.type("Hashish, 12 kg")
    form.save()
    form.type(" in the fuel tank")
    finalized = []
    form.save(then=finalized.append)
    # WHEN the first save is done THEN finalize still waits: the follow-up save runs first
    form.finish_save()
    assert finalized == [] and len(form.running) == 1
    # WHEN the follow-up is done THEN finalize runs once, with the revision of that last save
    form.finish_save()
    assert finalized == [2]


def test_a_failed_save_drops_what_waited_for_it_and_its_follow_up():
    # GIVEN a save running, with a follow-up and a callback queued
    form = Form()
    form.type("Tramadol, 3,000 tablets")
    form.save()
    form.type(" (blister packs)")
    left = []
    form.save(then=left.append)
    # WHEN the save fails
    form.running.clear()
    form.state.failed()
    # THEN no save runs, nothing waits, and the form is still dirty (typed text is kept)
    assert not form.state.saving and not form.state.save_again and form.state.after_save == []
    assert form.state.dirty and left == []
