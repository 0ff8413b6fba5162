"""Each trigger tells the right people only, never the one who did it, in the same transaction
as its record, and names nobody: no person supported, no member of staff, no free text."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel import Session

from app.action import service as action_service
from app.action.models import ActionSource
from app.action.schemas import ActionCreate
from app.engagement import service as engagement_service
from app.engagement.schemas import EngagementNoteCreate
from app.governance.alerts import WHAT_DRIFTED
from app.governance.check import check_organisation
from app.governance.models import FlagKind
from app.handover import service as handover_service
from app.handover.schemas import HandoverStart
from app.inbox.models import Kind
from app.theme import service as theme_service
from app.theme.models import LearningTheme, ThemeStatus
from tests.governance.helpers import observation
from tests.inbox.helpers import assert_names_nothing_private, pushes, told, usually_works
from tests.observation.helpers import observe
from tests.support import START, World, actor_for, make_bare_handover, make_theme


def test_a_completed_handover_asks_the_sites_staff_to_acknowledge(
    session: Session, world: World
) -> None:
    lead = actor_for(session, world.lead)
    started = handover_service.start_handover(
        session, actor=lead, data=HandoverStart(id=uuid.uuid4(), site_id=world.site.id), now=START
    )
    handover = started.record
    handover_service.complete_handover(session, actor=lead, handover=handover, now=START)
    handover_service.complete_handover(session, actor=lead, handover=handover, now=START)
    session.commit()

    by_user = told(session, Kind.handover_to_acknowledge)
    assert set(by_user) == {world.carer.id, world.colleague.id, world.manager.id}
    [notification] = by_user[world.carer.id]
    assert notification.title == (
        f"Handover for Rosewood House, {handover.incoming_shift.lower()} shift, "
        "is ready to acknowledge"
    )
    assert notification.url == f"/handovers/{handover.id}"
    assert len(pushes(session, Kind.handover_to_acknowledge)) == 3
    assert_names_nothing_private(session)


def test_who_ticked_other_usual_shifts_is_not_asked_to_acknowledge(
    session: Session, world: World
) -> None:
    """The incoming shift is asked: those who usually work it, and those who never said."""
    lead = actor_for(session, world.lead)
    started = handover_service.start_handover(
        session, actor=lead, data=HandoverStart(id=uuid.uuid4(), site_id=world.site.id), now=START
    )
    handover = started.record
    other = next(name for name in ("Early", "Late", "Night") if name != handover.incoming_shift)
    usually_works(session, world, "carer", other)
    usually_works(session, world, "colleague", other, handover.incoming_shift)
    handover_service.complete_handover(session, actor=lead, handover=handover, now=START)
    session.commit()

    assert set(told(session, Kind.handover_to_acknowledge)) == {
        world.colleague.id,
        world.manager.id,
    }


def test_feedback_tells_the_staff_member_observed_only(session: Session, world: World) -> None:
    recorded = observe(session, world)

    by_user = told(session, Kind.feedback)
    assert list(by_user) == [world.carer.id]
    [notification] = by_user[world.carer.id]
    assert notification.title == "Feedback on your practice is ready"
    assert notification.url == f"/observations/{recorded.id}"
    assert_names_nothing_private(session)


def test_an_observation_of_nobody_in_particular_tells_nobody(
    session: Session, world: World
) -> None:
    observe(session, world, observed_user_id=None)
    assert told(session, Kind.feedback) == {}


def test_an_action_tells_its_owner_unless_they_gave_it_themselves(
    session: Session, world: World
) -> None:
    def add(by: str, owner_id: uuid.UUID) -> uuid.UUID:
        saved = action_service.add_action(
            session,
            actor=actor_for(session, world.user(by)),
            site_id=world.site.id,
            source=ActionSource.handover,
            source_id=make_bare_handover(session, site=world.site, lead=world.lead).id,
            data=ActionCreate(
                id=uuid.uuid4(), description="Ask Ada about her day", owner_id=owner_id
            ),
            now=START,
        )
        session.commit()
        return saved.record.id

    add("manager", world.carer.id)
    add("lead", world.lead.id)  # their own: nobody is told

    by_user = told(session, Kind.action_assigned)
    assert list(by_user) == [world.carer.id]
    assert [n.title for n in by_user[world.carer.id]] == [
        "An action at Rosewood House was given to you"
    ]
    assert_names_nothing_private(session)


def test_a_new_learning_focus_tells_the_staff_of_its_sites(session: Session, world: World) -> None:
    quality = actor_for(session, world.quality)
    theme = make_theme(
        session, quality, sites=[world.site], status=ThemeStatus.draft, title="Night hydration"
    )
    session.commit()
    before = told(session, Kind.learning_focus)
    theme = session.get_one(LearningTheme, theme.id)
    theme_service.transition_theme(
        session, actor=quality, theme=theme, to_status=ThemeStatus.pilot, reason="Try it", now=START
    )
    theme_service.transition_theme(
        session,
        actor=quality,
        theme=theme,
        to_status=ThemeStatus.embedding,
        reason="Roll out",
        now=START,
    )  # still a focus: nobody is told again
    session.commit()

    after = told(session, Kind.learning_focus)
    new = {user: len(rows) - len(before.get(user, [])) for user, rows in after.items()}
    assert {user for user, count in new.items() if count} == {
        world.carer.id,
        world.colleague.id,
        world.lead.id,
        world.manager.id,
    }
    assert all(count in (0, 1) for count in new.values())
    assert {n.url for n in after[world.carer.id]} >= {f"/themes/{theme.id}"}
    assert_names_nothing_private(session)


def test_restrictive_practice_asks_the_sites_managers_to_review(
    session: Session, world: World
) -> None:
    data = EngagementNoteCreate(
        id=uuid.uuid4(),
        person_id=world.person.id,
        level=1,
        restrictive_practice="kept_apart",
        restrictive_reason="Ada hit out at Colin in the lounge",
    )
    carer = actor_for(session, world.carer)
    for _retry in range(2):
        engagement_service.record_engagement_note(
            session, actor=carer, data=data, now=START - timedelta(minutes=5)
        )
        session.commit()

    by_user = told(session, Kind.restrictive_review)
    assert list(by_user) == [world.manager.id]
    [notification] = by_user[world.manager.id]
    assert notification.url == f"/sites/{world.site.id}/notes/to-review"
    assert notification.title.startswith("Restrictive practice at Rosewood House")
    assert "hit out" not in notification.title
    assert len(pushes(session, Kind.restrictive_review)) == 1
    assert_names_nothing_private(session)


def test_a_drift_alert_tells_the_sites_managers_and_the_quality_leads(
    session: Session, world: World
) -> None:
    check_organisation(session, organisation_id=world.organisation.id, now=START)
    session.commit()
    first = told(session, Kind.drift_alert)
    check_organisation(session, organisation_id=world.organisation.id, now=START)
    session.commit()

    by_user = told(session, Kind.drift_alert)
    assert set(by_user) == {world.manager.id, world.quality.id, world.outsider_manager.id}
    manager_urls = {n.url for n in by_user[world.manager.id]}
    assert all(url.startswith("/alerts/") for url in manager_urls)
    assert all("Rosewood House" in n.title for n in by_user[world.manager.id])
    assert all("Beech Court" in n.title for n in by_user[world.outsider_manager.id])
    said = {n.title.split(": ", 1)[1] for n in by_user[world.manager.id]}
    assert said <= set(WHAT_DRIFTED.values())  # what drifted, in fixed words
    assert set(WHAT_DRIFTED) == set(FlagKind)  # every kind of alert has its words
    assert {u: len(r) for u, r in by_user.items()} == {u: len(r) for u, r in first.items()}
    assert_names_nothing_private(session)


def test_a_proposed_lifecycle_move_tells_the_quality_leads(session: Session, world: World) -> None:
    theme = session.get_one(LearningTheme, world.theme.id)
    theme.status = ThemeStatus.embedded
    session.add(theme)
    session.commit()
    for back in range(2):
        observation(session, world, START - timedelta(weeks=back + 1), ratings=(1, 1, 0))
    check_organisation(session, organisation_id=world.organisation.id, now=START)
    session.commit()

    by_user = told(session, Kind.lifecycle_proposal)
    assert set(by_user) == {world.quality.id, world.admin.id}
    [notification] = by_user[world.quality.id]
    assert notification.title == ("A learning theme is proposed to move from embedded to embedding")
    assert notification.url.startswith("/proposals/")
    assert_names_nothing_private(session)
