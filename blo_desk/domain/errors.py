"""Domain errors whose messages are translated when shown, with named placeholders."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from blo_desk.i18n import N_, N_plural, PluralMessage, Translator, translate_message


class DomainError(Exception):
    """Base of every error a user may see; `message` is an untranslated msgid with {named} placeholders."""

    message: str | PluralMessage = N_("The operation could not be completed.")

    def __init__(self, message: str | PluralMessage | None = None, **params: object) -> None:
        if message is not None:
            self.message = message
        self.params = params
        super().__init__(self.message.format(**params) if params or isinstance(self.message, PluralMessage)
                         else self.message)

    def translated(self, translator: Translator | None = None) -> str:
        return translate_message(self.message, self.params, translator)

    def __str__(self) -> str:
        return self.translated()


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one field; `field` is a dotted path such as `items.2.quantity`."""

    field: str
    message: str | PluralMessage
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    def translated(self, translator: Translator | None = None) -> str:
        return translate_message(self.message, self.params, translator)


class ValidationError(DomainError):
    message = N_plural("The case has {count} problem; see the marked field.",
                       "The case has {count} problems; see the marked fields.")

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__(count=len(self.errors))

    def translated(self, translator: Translator | None = None) -> str:
        lines = [super().translated(translator)]
        lines += [f"• {e.translated(translator)}" for e in self.errors]
        return "\n".join(lines)


class NotFoundError(DomainError):
    message = N_("Case {case_id} was not found.")


class ConflictError(DomainError):
    message = N_("The case was changed elsewhere (revision {stored}); reload it before saving.")


class CaseFinalizedError(DomainError):
    message = N_("Case {case_number} is finalized; an amendment with a reason is needed to change it.")


class CaseVoidedError(DomainError):
    message = N_("Case {case_number} was voided; it is kept with its history but can no longer be changed.")


class NotADraftError(DomainError):
    message = N_("Case {case_number} is not a draft; only a draft can be voided.")


class NotFinalizedError(DomainError):
    message = N_("Case {case_number} is still a draft; only a finalized case is amended.")


class StoreTooNewError(DomainError):
    message = N_(
        "This data file was written by a newer version of BLO Desk (schema {found}). "
        "Install the newer version; the file was left untouched."
    )


class AttachmentError(DomainError):
    message = N_("The file cannot be attached.")


class PermissionDeniedError(DomainError):
    message = N_("You are not allowed to do this.")


class InvalidCredentialsError(DomainError):
    message = N_("Wrong username or password.")


class AccountLockedError(DomainError):
    message = N_plural("Too many wrong passwords: this account is locked for {minutes} more minute.",
                       "Too many wrong passwords: this account is locked for {minutes} more minutes.", by="minutes")


class WeakPasswordError(DomainError):
    message = N_("The password must have at least {min_length} characters.")


class AccountExistsError(DomainError):
    message = N_("A user named {username} already exists.")


class AccountNotFoundError(DomainError):
    message = N_("There is no user named {username}.")


class StoreLockedError(DomainError):
    message = N_("The store is encrypted: log in with your username and password to open it.")


class FirstStartError(DomainError):
    message = N_("No user exists yet: create the first administrator (blo-desk user add --role admin NAME).")


class LastAdminError(DomainError):
    message = N_("The last administrator cannot be removed or demoted.")


class InvalidRecoveryCodeError(DomainError):
    message = N_("This recovery code does not open the store.")


class NoRecoveryCodeError(DomainError):
    message = N_("This store has no recovery code; an administrator makes one (blo-desk user recovery-code).")


class RecoveryAccountError(DomainError):
    message = N_("There is no active administrator named {username} to give a new password.")


class RecoveryChoiceError(DomainError):
    """The recovery code is right, and several administrators could get the new password: the user names one."""

    message = N_("Several administrators use this store ({names}): choose the one who gets the new password.")

    def __init__(self, *, administrators: tuple[str, ...]) -> None:
        super().__init__(names=", ".join(administrators))
        self.administrators = administrators


class LoginRequiredError(DomainError):
    message = N_("Log in with your username and password first.")


class ReferenceEntryError(DomainError):
    """An entry an administrator typed for a reference list (an offence article, its law) is not one to keep."""

    message = N_("This entry cannot be saved.")
