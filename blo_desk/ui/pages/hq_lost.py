"""At HQ: for a post restored from a backup, the cases HQ received that the post lost with its old laptop, to be
re-entered or re-printed there; the list saved as PDF or CSV for the post."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from blo_desk.domain.backup import LOST_CASE_HEADINGS, lost_case_rows
from blo_desk.domain.errors import DomainError
from blo_desk.i18n import _, active_language, ngettext, translator
from blo_desk.ui.file_dialogs import choose_save_file
from blo_desk.ui.models.rows import RowsModel, rows_view
from blo_desk.ui.tasks import Task, TaskRunner
from blo_desk.ui.widgets.whole_text import ResultNote

if TYPE_CHECKING:
    from blo_desk.domain.backup import LostCase
    from blo_desk.ports import HqPort


class LostCasesTab(QWidget):
    """The restored posts in a list to choose from; the chosen post's lost cases; every read and write on a worker."""

    def __init__(self, *, runner: TaskRunner, hq: HqPort | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lostCases")
        self.runner = runner
        self.hq = hq
        self.cases: list[LostCase] = []
        self.posts: list[str] = []
        self.saved: Path | None = None
        self._task: Task | None = None
        self.post = QComboBox()
        self.post.setObjectName("lostPost")
        self.post.currentIndexChanged.connect(lambda _i: self.refresh())
        self.post_label = QLabel()
        self.post_label.setBuddy(self.post)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.summary = ResultNote("lostSummary")
        self.model = RowsModel(LOST_CASE_HEADINGS, self)
        self.view = rows_view(self.model, "lostTable", stretch=5)
        self.save_pdf = QPushButton()
        self.save_pdf.setObjectName("lostSavePdf")
        self.save_pdf.clicked.connect(lambda: self.choose_file(".pdf"))
        self.save_csv = QPushButton()
        self.save_csv.setObjectName("lostSaveCsv")
        self.save_csv.clicked.connect(lambda: self.choose_file(".csv"))
        row = QHBoxLayout()
        row.addWidget(self.post_label)
        row.addWidget(self.post, 1)
        row.addStretch(2)
        row.addWidget(self.save_pdf)
        row.addWidget(self.save_csv)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self._enable()
        self.retranslate()

    def retranslate(self) -> None:
        self.post_label.setText(_("Restored post:"))
        self.hint.setText(_("A post restored from a backup lost the cases saved after that backup with its old "
                            "laptop. HQ lists here what it received of them, so that the post can re-enter or "
                            "re-print them."))
        self.save_pdf.setText(_("Save as PDF…"))
        self.save_csv.setText(_("Save as CSV…"))
        self.model.retranslate()
        self._show()

    def _enable(self) -> None:
        ready = self.hq is not None and bool(self.post.currentData()) and self._task is None
        for button in (self.save_pdf, self.save_csv):
            button.setEnabled(ready)

    # --- reading (worker thread) ---------------------------------------------------------------------------------
    def refresh(self) -> Task | None:
        """The restored posts, and the lost cases of the one chosen (the first when none is)."""
        hq = self.hq
        if hq is None:
            self.summary.setText(_("Your role does not read the cases of every post."))
            return None
        chosen = str(self.post.currentData() or "")

        def read() -> tuple[list[str], str, list[LostCase]]:
            posts = hq.restored_posts()
            post = chosen if chosen in posts else (posts[0] if posts else "")
            return posts, post, hq.lost_in_restore(post_code=post) if post else []

        if self._task is not None:
            self._task.cancel()
        self._task = self.runner.run(read, on_done=self._read, on_error=self._failed)
        self._task.ended.connect(self._ended)
        return self._task

    def _ended(self) -> None:
        self._task = None
        self._enable()

    def _read(self, result: tuple[list[str], str, list[LostCase]]) -> None:
        posts, post, self.cases = result
        if posts != self.posts or self.post.currentData() != post:
            self.posts = posts
            self.post.blockSignals(True)
            self.post.clear()
            for code in posts:
                self.post.addItem(code, code)
            self.post.setCurrentIndex(max(0, self.post.findData(post)))
            self.post.blockSignals(False)
        self._show()

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(exc.translated() if isinstance(exc, DomainError) else _(
            "Something went wrong: {reason}").format(reason=str(exc)))

    def _show(self) -> None:
        self.model.set_rows(lost_case_rows(self.cases, translator()))
        post = self.post.currentData()
        if not post:
            self.summary.setText(_("No post has announced a restore from a backup."))
        elif not self.cases:
            self.summary.setText(_("HQ received no case of post {post} after the backup it was restored from.")
                                 .format(post=post))
        else:
            count = len(self.cases)
            self.summary.setText(ngettext("Post {post}: {count} case revision to re-enter or re-print.",
                                          "Post {post}: {count} case revisions to re-enter or re-print.",
                                          count).format(post=post, count=count))

    # --- saving the list for the post ---------------------------------------------------------------------------
    def choose_file(self, suffix: str) -> None:
        post = self.post.currentData()
        if not post:
            return
        name = f"{post}-lost-cases{suffix}"
        chosen = choose_save_file(self, purpose="lost_cases", title=_("Save as PDF…") if suffix == ".pdf" else _(
            "Save as CSV…"), filters=["PDF (*.pdf)" if suffix == ".pdf" else "CSV (*.csv)"], name=name, suffix=suffix[1:])
        if chosen:
            self.save(Path(chosen))

    def save(self, path: Path) -> Task | None:
        """Write the chosen post's list to `path` (PDF or CSV by its suffix) in the user's language, on a worker."""
        hq, post, language = self.hq, str(self.post.currentData() or ""), active_language()
        if hq is None or not post or self._task is not None:
            return None
        self._task = self.runner.run(lambda: hq.write_lost_cases(post_code=post, path=path, language=language),
                                     on_done=self._saved, on_error=self._failed)
        self._task.ended.connect(self._ended)
        self._enable()
        return self._task

    def _saved(self, path: Path) -> None:
        self.saved = path
        self.summary.say(_("The list is saved: {path}").format(path=path), files=(path,))
