"""Rank and agency on the account, and the officers of a post that a case names among its seizing officers."""

from __future__ import annotations

import pytest

from blo_desk.domain.entities import Officer
from blo_desk.domain.errors import PermissionDeniedError
from blo_desk.domain.permissions import SYSTEM, Principal, Role
from blo_desk.services.registry import open_services
from blo_desk.services.users import InvalidRankError, UnknownAgencyError

PASSWORD = "long-enough-pass-1"


@pytest.fixture
def people(settings):
    """Two officers and a supervisor at UZ-DUS, one officer at UZ-GSK, a removed officer at UZ-DUS, an analyst."""
    system = open_services(settings, principal=SYSTEM)
    add = system.users.add_user
    add(username="karim", password=PASSWORD, role="officer", post_code="UZ-DUS", full_name="Karimov Karim",
        rank="Major")
    add(username="nodira", password=PASSWORD, role="supervisor", post_code="UZ-DUS", full_name="Aliyeva Nodira",
        rank="подполковник", agency="border")
    add(username="aziz", password=PASSWORD, role="officer", post_code="UZ-DUS", full_name="Azizov Aziz",
        rank="Senior lieutenant")
    add(username="timur", password=PASSWORD, role="officer", post_code="UZ-GSK", full_name="Timurov Timur",
        rank="Captain")
    add(username="lola", password=PASSWORD, role="analyst", full_name="Lola")
    system.users.remove_user(username="aziz")
    yield system
    system.close()


def _as(settings, username, role, post=""):
    return open_services(settings, principal=Principal(username, Role(role), post))


def test_a_new_user_keeps_the_rank_and_agency_the_admin_gave(services):
    # GIVEN an administrator adding an officer with a rank, and another without an agency
    services.users.add_user(username="karim", password=PASSWORD, role="officer", post_code="UZ-DUS",
                            full_name="Karimov Karim", rank="  майор ", agency="border")
    services.users.add_user(username="aziz", password=PASSWORD, role="officer", post_code="UZ-DUS")
    # WHEN the list of users is read back
    users = {u.username: u for u in services.users.list_users()}
    # THEN the rank is kept as typed (trimmed), the agency as chosen; a user added without one works for customs
    assert (users["karim"].full_name, users["karim"].rank, users["karim"].agency) == ("Karimov Karim", "майор",
                                                                                     "border")
    assert (users["aziz"].rank, users["aziz"].agency) == ("", "customs")


def test_an_admin_corrects_a_users_name_rank_and_agency_and_the_change_is_audited(services):
    # GIVEN an officer promoted after the account was made
    services.users.add_user(username="karim", password=PASSWORD, role="officer", post_code="UZ-DUS",
                            full_name="Karimov K.", rank="Captain")
    # WHEN the administrator corrects the account
    info = services.users.update_user(username="karim", full_name="Karimov Karim", rank="Major", agency="police")
    # THEN the account reads back changed, and the audit trail has the change with a different before and after
    assert (info.full_name, info.rank, info.agency) == ("Karimov Karim", "Major", "police")
    events = [e for e in services.audit.events(target="user:karim") if e.action == "user.update"]
    assert len(events) == 1 and events[0].outcome == "ok"
    assert events[0].before_hash and events[0].before_hash != events[0].after_hash
    assert services.audit.verify().ok


def test_an_unknown_agency_or_a_rank_too_long_is_refused(services):
    # GIVEN / WHEN / THEN an agency that is not in the reference list, or a rank of 101 characters, is refused
    with pytest.raises(UnknownAgencyError):
        services.users.add_user(username="karim", password=PASSWORD, role="officer", post_code="UZ-DUS",
                                agency="mafia")
    with pytest.raises(InvalidRankError):
        services.users.add_user(username="karim", password=PASSWORD, role="officer", post_code="UZ-DUS",
                                rank="M" * 101)
    assert services.users.list_users() == []


def test_only_an_admin_changes_an_account(settings, people):
    # GIVEN a supervisor of the post
    supervisor = _as(settings, "nodira", "supervisor", "UZ-DUS")
    try:
        # WHEN they try to change an officer's rank THEN they are refused
        with pytest.raises(PermissionDeniedError):
            supervisor.users.update_user(username="karim", full_name="Karimov Karim", rank="General", agency="customs")
    finally:
        supervisor.close()


def test_an_officer_sees_the_active_users_of_their_post_with_name_rank_and_agency(settings, people):
    # GIVEN an officer at UZ-DUS
    officer = _as(settings, "karim", "officer", "UZ-DUS")
    try:
        # WHEN they ask for the officers of their post
        officers = officer.users.post_officers(post_code="UZ-DUS")
        # THEN they get their colleagues by name, as seizing officers (no removed user, nobody from UZ-GSK)
        assert officers == [
            Officer(full_name="Aliyeva Nodira", rank="подполковник", agency="border", username="nodira"),
            Officer(full_name="Karimov Karim", rank="Major", agency="customs", username="karim"),
        ]
        # AND their own account, rank included
        me = officer.users.own_account()
        assert me is not None and (me.full_name, me.rank, me.agency) == ("Karimov Karim", "Major", "customs")
    finally:
        officer.close()


def test_an_officer_does_not_see_the_users_of_another_post_and_the_refusal_is_audited(settings, people):
    # GIVEN an officer at UZ-DUS
    officer = _as(settings, "karim", "officer", "UZ-DUS")
    try:
        # WHEN they ask for the officers of UZ-GSK THEN they are refused, saying which post is theirs
        with pytest.raises(PermissionDeniedError) as refused:
            officer.users.post_officers(post_code="UZ-GSK")
        assert "UZ-GSK" in refused.value.translated() and "UZ-DUS" in refused.value.translated()
    finally:
        officer.close()
    denied = [e for e in people.audit.events(target="post:UZ-GSK") if e.outcome == "denied"]
    assert [(e.actor, e.action) for e in denied] == [("karim", "users.list_officers")]


def test_an_analyst_sees_the_officers_of_any_post(settings, people):
    analyst = _as(settings, "lola", "analyst")
    try:
        # WHEN an HQ analyst asks for the officers of UZ-GSK THEN they get them
        assert [o.username for o in analyst.users.post_officers(post_code="UZ-GSK")] == ["timur"]
    finally:
        analyst.close()


def test_the_officers_of_a_post_carry_nothing_secret(settings, people):
    supervisor = _as(settings, "nodira", "supervisor", "UZ-DUS")
    try:
        # WHEN a supervisor lists the officers of the post THEN each is only a name, a rank, an agency and a username
        for officer in supervisor.users.post_officers(post_code="UZ-DUS"):
            assert isinstance(officer, Officer)
            assert "argon2" not in repr(officer)
    finally:
        supervisor.close()


def test_an_administrator_of_the_post_is_not_offered_as_a_seizing_officer(settings, people):
    # GIVEN an administrator account that names UZ-DUS as its post
    people.users.add_user(username="admin2", password=PASSWORD, role="admin", post_code="UZ-DUS", full_name="Admin")
    # WHEN the officers of UZ-DUS are listed THEN the administrator is not among them
    assert "admin2" not in [o.username for o in people.users.post_officers(post_code="UZ-DUS")]
