"""Who may do what: roles, the logged-in principal, and pure permission rules the services enforce."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from blo_desk.domain.errors import PermissionDeniedError
from blo_desk.i18n import N_, _


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ANALYST = "analyst"
    ADMIN = "admin"
    SYSTEM = "system"  # commands, demo data, tests and migrations: never a person's account

    @property
    def label(self) -> str:
        return _(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.OFFICER: N_("Officer"),
    Role.SUPERVISOR: N_("Supervisor"),
    Role.ANALYST: N_("HQ analyst"),
    Role.ADMIN: N_("Administrator"),
    Role.SYSTEM: N_("System"),
}

#: Roles an account may have (SYSTEM is only for the program itself).
ACCOUNT_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)


class Action(StrEnum):
    """Every guarded use case; the value is what the audit trail records."""

    CASE_READ = "case.read"
    CASE_READ_ALL_POSTS = "case.read_all_posts"
    CASE_CREATE = "case.create"
    CASE_EDIT_DRAFT = "case.edit_draft"
    CASE_FINALIZE = "case.finalize"
    CASE_AMEND = "case.amend"
    CASE_VOID = "case.void"
    PRINT_PROTOCOL = "print.protocol"
    REPORTS = "reports.view"
    BUNDLE_EXPORT = "bundle.export"
    BUNDLE_IMPORT = "bundle.import"
    USERS_MANAGE = "users.manage"
    OFFICERS_LIST = "users.list_officers"  # names, ranks and agencies of a post's users, to name seizing officers
    POSTS_MANAGE = "posts.manage"
    KEYS_MANAGE = "keys.manage"
    REFERENCE_MANAGE = "reference.manage"
    SETTINGS_MANAGE = "settings.manage"
    AUDIT_VIEW = "audit.view"
    DATA_EXPORT = "data.export"  # cases, items and persons as spreadsheets; the international tables
    STORE_BACKUP = "store.backup"  # a backup stays encrypted as the store is: anyone who works at the post
    STORE_RESTORE = "store.restore"
    COUNTERPART_MANAGE = "counterpart.manage"  # pair with a counterpart post (its card), or revoke the pairing
    SHARE_SEND = "share.send"  # share cases (non-nominal), send requests and answers to a paired post
    SHARE_OPERATIONAL = "share.operational"  # share persons, plates and VINs: a supervisor, with a legal basis
    SHARE_RECEIVE = "share.receive"  # import a share file from a paired post
    SHARE_READ = "share.read"  # the records shared with this post, and the requests


_O, _S, _A, _D = Role.OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN

#: The matrix of issue 7. SYSTEM may do everything and is not listed.
ALLOWED: dict[Action, frozenset[Role]] = {
    Action.CASE_READ: frozenset({_O, _S, _A}),
    Action.CASE_READ_ALL_POSTS: frozenset({_A}),
    Action.CASE_CREATE: frozenset({_O, _S}),
    Action.CASE_EDIT_DRAFT: frozenset({_O, _S}),
    Action.CASE_FINALIZE: frozenset({_O, _S}),
    # Whoever may finalize a case may also amend it with a reason (issue 14): an officer their own cases, a
    # supervisor every case of the post. Every amendment is a revision with its reason and an audit event.
    Action.CASE_AMEND: frozenset({_O, _S}),
    Action.CASE_VOID: frozenset({_O, _S}),
    Action.PRINT_PROTOCOL: frozenset({_O, _S, _A}),
    Action.REPORTS: frozenset({_S, _A}),
    Action.BUNDLE_EXPORT: frozenset({_O, _S, _D}),
    Action.BUNDLE_IMPORT: frozenset({_A}),
    Action.USERS_MANAGE: frozenset({_D}),
    Action.OFFICERS_LIST: frozenset({_O, _S, _A, _D}),
    Action.POSTS_MANAGE: frozenset({_D}),
    Action.KEYS_MANAGE: frozenset({_D}),
    Action.REFERENCE_MANAGE: frozenset({_D}),
    Action.SETTINGS_MANAGE: frozenset({_D}),
    Action.AUDIT_VIEW: frozenset({_S, _A, _D}),
    Action.DATA_EXPORT: frozenset({_S, _A}),
    Action.STORE_BACKUP: frozenset({_O, _S, _A, _D}),
    Action.STORE_RESTORE: frozenset({_D}),
    Action.COUNTERPART_MANAGE: frozenset({_D}),
    Action.SHARE_SEND: frozenset({_O, _S}),
    Action.SHARE_OPERATIONAL: frozenset({_S}),
    Action.SHARE_RECEIVE: frozenset({_O, _S, _D}),
    Action.SHARE_READ: frozenset({_O, _S}),
}

#: Actions on one case that are limited to the principal's own post (officers and supervisors).
POST_SCOPED = frozenset(
    {Action.CASE_READ, Action.CASE_CREATE, Action.CASE_EDIT_DRAFT, Action.CASE_FINALIZE, Action.CASE_AMEND,
     Action.CASE_VOID, Action.PRINT_PROTOCOL, Action.DATA_EXPORT}
)
#: Actions on the people of one post, limited to the principal's own post (officers and supervisors).
POST_SCOPED_PEOPLE = frozenset({Action.OFFICERS_LIST})
#: Reports over posts: officers and supervisors report on their own post only; HQ roles on every post.
POST_SCOPED_REPORTS = frozenset({Action.REPORTS})
#: Actions an officer may take only on cases they created.
OWN_CASES_ONLY = frozenset({Action.CASE_EDIT_DRAFT, Action.CASE_FINALIZE, Action.CASE_AMEND, Action.CASE_VOID})


@dataclass(frozen=True, slots=True)
class Principal:
    """The user a service acts for: who, in which role, at which post ('' for HQ and admins without a post)."""

    username: str
    role: Role
    post_code: str = ""
    #: the account's full name, for "Add me" among the seizing officers; not part of who the principal is
    full_name: str = field(default="", compare=False)

    @property
    def is_system(self) -> bool:
        return self.role == Role.SYSTEM

    @property
    def all_posts(self) -> bool:
        """Whether this principal sees the cases of every post."""
        return self.role in (Role.ANALYST, Role.SYSTEM)


#: The program itself acting for a command, the demo loader or a test: pass it explicitly, never by default.
SYSTEM = Principal(username="system", role=Role.SYSTEM)


def denial_reason(
    principal: Principal, action: Action, *, post_code: str | None = None, owner: str | None = None
) -> str | None:
    """None when allowed; else an untranslated msgid saying why not. Pure: no I/O."""
    if principal.is_system:
        return None
    if principal.role not in ALLOWED.get(action, frozenset()):
        return N_("Your role ({role}) does not allow this: {action}.")
    if post_code is not None and action in POST_SCOPED and not principal.all_posts:
        if not principal.post_code or principal.post_code != post_code:
            return N_("This case belongs to post {post}; you work at post {own_post}.")
    if post_code is not None and action in POST_SCOPED_PEOPLE and principal.role in (Role.OFFICER, Role.SUPERVISOR):
        if not principal.post_code or principal.post_code != post_code:
            return N_("These are the users of post {post}; you work at post {own_post}.")
    if post_code is not None and action in POST_SCOPED_REPORTS and not principal.all_posts:
        if not principal.post_code:
            return N_("Your account has no post, so a report would cover no cases; HQ analysts report on every post.")
        if principal.post_code != post_code:
            return N_("You work at post {own_post}: your reports cover that post only, not post {post}.")
    if owner is not None and action in OWN_CASES_ONLY and principal.role == Role.OFFICER:
        if owner != principal.username:
            return N_("Only the officer who created this case, or a supervisor, may change it.")
    return None


def allowed(principal: Principal, action: Action, *, post_code: str | None = None, owner: str | None = None) -> bool:
    return denial_reason(principal, action, post_code=post_code, owner=owner) is None


def check(principal: Principal, action: Action, *, post_code: str | None = None, owner: str | None = None) -> None:
    """Raise PermissionDeniedError (translated message) unless allowed."""
    reason = denial_reason(principal, action, post_code=post_code, owner=owner)
    if reason is not None:
        raise PermissionDeniedError(
            reason, role=principal.role.label, action=action.value, post=post_code or "", own_post=principal.post_code
        )
