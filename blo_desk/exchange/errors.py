"""Why a bundle, a key or an export was refused: translatable domain errors with named placeholders."""

from __future__ import annotations

from blo_desk.domain.errors import DomainError
from blo_desk.i18n import N_, N_plural


class BundleRejected(DomainError):
    """A bundle refused whole; nothing of it was applied."""

    message = N_("The bundle was rejected.")


# --- the file as a whole ----------------------------------------------------------------------
class NotABundleError(BundleRejected):
    message = N_("The file {filename} is not a complete bundle (damaged, truncated or not a bundle at all).")


class BundleTooLargeError(BundleRejected):
    message = N_("The bundle is {size_mb} MB; the limit is {limit_mb} MB.")


class TooManyMembersError(BundleRejected):
    message = N_("The bundle holds {count} files; the limit is {limit}.")


class UnsafeMemberNameError(BundleRejected):
    message = N_("The bundle holds a file with an unsafe name: {name}.")


class DuplicateMemberError(BundleRejected):
    message = N_("The bundle holds the file {name} twice.")


class UnsupportedMemberError(BundleRejected):
    message = N_("The file {name} in the bundle is encrypted, a folder, or uses an unsupported compression.")


class MemberTooLargeError(BundleRejected):
    message = N_("The file {name} in the bundle is {size} bytes; the limit is {limit} bytes.")


class CompressionRatioError(BundleRejected):
    message = N_("The file {name} in the bundle expands {ratio} times, beyond the limit of {limit} (a zip bomb?).")


class ZipCommentError(BundleRejected):
    message = N_("The file {filename} carries a zip comment; a bundle has none (a re-packaged copy?).")


class BytesOutsideZipError(BundleRejected):
    message = N_("The file {filename} has bytes before its first member or after its zip directory; a bundle has "
                 "none (a re-packaged copy?).")


class MemberLayoutError(BundleRejected):
    message = N_("The file {name} in the bundle is not stored as the bundle format lists it (members in the "
                 "manifest's order, each with its compression, one after the other).")


class MemberCorruptError(BundleRejected):
    message = N_("The file {name} in the bundle is damaged or inflates beyond its stated size.")


# --- signature and manifest -------------------------------------------------------------------
class SignatureFormatError(BundleRejected):
    message = N_("The bundle's signature is missing or not in minisign's format.")


class BadSignatureError(BundleRejected):
    message = N_("The bundle's signature does not match its manifest: the manifest was altered or signed by another key.")


class UnknownKeyError(BundleRejected):
    message = N_("The bundle is signed by key {key_id}, which is not in the trust store.")


class KeyRevokedError(BundleRejected):
    message = N_("Key {key_id} of post {post} is revoked from bundle {from_seq} on; this bundle is number {seq}.")


class KeyOtherPostError(BundleRejected):
    message = N_("The bundle claims to come from post {post} but is signed by key {key_id}, registered to post {key_post}.")


class TrustedCommentMismatchError(BundleRejected):
    message = N_("The signature's trusted comment does not name post {post} and bundle {seq} as the manifest does.")


class ManifestError(BundleRejected):
    message = N_("The manifest field {field} is missing or invalid.")


class UnsupportedFormatError(BundleRejected):
    message = N_("The bundle has format version {found}; this version of BLO Desk reads format versions "
                 "{supported}. Install a newer BLO Desk to import it.")


class MissingMemberError(BundleRejected):
    message = N_("The bundle lacks the file {name}, which its manifest lists.")


class UnexpectedMemberError(BundleRejected):
    message = N_("The bundle holds the file {name}, which its manifest does not list.")


class MemberMismatchError(BundleRejected):
    message = N_("The file {name} in the bundle does not match its manifest (size or SHA-256 differs).")


# --- strict JSON ------------------------------------------------------------------------------
class StrictJsonError(BundleRejected):
    message = N_("{name}, line {line}: not valid JSON.")


class InvalidJsonError(StrictJsonError):
    message = N_("{name}, line {line}: not valid JSON ({detail}).")


class DuplicateKeyError(StrictJsonError):
    message = N_("{name}, line {line}: the key {key} appears twice.")


class NonFiniteNumberError(StrictJsonError):
    message = N_("{name}, line {line}: NaN and infinity are not allowed.")


class NumberTooLongError(StrictJsonError):
    message = N_("{name}, line {line}: a number of {digits} characters is longer than the limit of {limit}.")


class NestingTooDeepError(StrictJsonError):
    message = N_("{name}, line {line}: nested deeper than the limit of {limit} levels.")


class LineTooLongError(StrictJsonError):
    message = N_("{name}, line {line}: the line is longer than the limit of {limit} bytes.")


# --- records ----------------------------------------------------------------------------------
class RecordError(BundleRejected):
    message = N_("Record {line} of the bundle is invalid: the field {field} is missing or wrong.")


class RecordHashMismatchError(BundleRejected):
    message = N_("Record {line} of the bundle: the content hash does not match the case content.")


class ForeignPostRecordError(BundleRejected):
    message = N_("Record {line} is a case of post {case_post}, but the bundle comes from post {post}.")


class MissingAttachmentError(BundleRejected):
    message = N_("Record {line} refers to the photo {sha256}, which the bundle does not carry.")


class UnreferencedPhotoError(BundleRejected):
    message = N_("The bundle carries the photo {sha256}, which no case in it refers to; a bundle carries only the "
                 "photos of its cases.")


class CountMismatchError(BundleRejected):
    message = N_("The manifest announces {expected} records but the bundle holds {found}.")


class RevisionConflictError(BundleRejected):
    message = N_(
        "Case {case_number} revision {revision} arrives with content different from the revision already held."
    )


class SequenceConflictError(BundleRejected):
    message = N_(
        "Post {post} already sent a different bundle number {seq}; this one is rejected and an alert was raised."
    )


# --- keys, trust store and export -------------------------------------------------------------
class KeyFileError(DomainError):
    message = N_("The key file is not in minisign's format.")


class KeyAlreadyTrustedError(DomainError):
    message = N_("Key {key_id} is already registered to post {post}.")


class KeyNotTrustedError(DomainError):
    message = N_("Key {key_id} is not in the trust store.")


class RevocationLoosensError(DomainError):
    message = N_("Key {key_id} is refused from bundle {current} on already; from {wanted} on would accept bundles "
                 "{current} to {last} again. A revocation only tightens: give --force with --reason to loosen it.")


class ForceNeedsReasonError(DomainError):
    message = N_("Loosening a revocation needs a reason (--reason), which the audit trail keeps.")


class KeySignedBundlesError(DomainError):
    message = N_plural("Key {key_id} signed {count} bundle HQ imported; it stays in the trust store (revoke it instead).",
                       "Key {key_id} signed {count} bundles HQ imported; it stays in the trust store (revoke it instead).")


class UnknownPostError(DomainError):
    message = N_("Post {post} is not in the list of posts.")


class PostNotSetUpError(DomainError):
    message = N_("This installation has no post identity yet; set up the post (code and signing key) first.")


class PostAlreadySetUpError(DomainError):
    message = N_("This installation is already set up as post {post} with key {key_id}.")


class SecretKeyError(DomainError):
    message = N_("The post's secret key {path} cannot be used: {reason}")


class NothingToExportError(DomainError):
    message = N_("Nothing new to export since bundle {seq}.")


class ExportWriteError(DomainError):
    message = N_("The bundle could not be written to {folder}: {reason}")


class StoredPhotoCorruptError(DomainError):
    message = N_("The stored photo {sha256} no longer matches its hash; the export was stopped.")


class SecretKeyExposedError(DomainError):
    message = N_("The post's secret key {path} is readable by other users; allow only its owner (permissions 0600).")


class SecretKeyMismatchError(DomainError):
    message = N_("The post's secret key {path} does not belong to the post's registered key {key_id}.")


class CaseNumberTakenError(BundleRejected):
    message = N_("Record {line}: case number {case_number} is already held for another case.")


class StoreRefusedError(BundleRejected):
    message = N_("The database refused the bundle's content ({detail}); nothing was applied.")


class SealedKeyLockedError(DomainError):
    message = N_("The post's secret key {path} is sealed with the store's key; log in to use it.")


class SealedKeyBrokenError(DomainError):
    message = N_("The post's secret key {path} cannot be unsealed: it was altered or belongs to another store.")
