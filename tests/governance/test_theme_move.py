"""A lifecycle move made by hand shows the evidence at each site beside it; a move against the
evidence still needs only a reason, and the theme's history keeps the evidence beside it."""

from __future__ import annotations

import html

from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.governance.models import Decision
from app.governance.move_evidence import MoveEvidence, move_evidence, move_theme
from app.theme.models import LearningTheme, ThemeStatus, ThemeTransition
from tests.governance.test_alerts import check
from tests.governance.test_lifecycle import observe_every_shift, proposals
from tests.support import START, World, actor_for, sign_in

MOVE = "/themes/{}/move"


def moves_to(session: Session, theme_id: object, status: ThemeStatus) -> list[ThemeTransition]:
    session.rollback()  # a fresh look at what the request wrote
    return list(
        session.exec(
            select(ThemeTransition).where(
                ThemeTransition.theme_id == theme_id, ThemeTransition.to_status == status
            )
        )
    )


def set_status(session: Session, world: World, status: ThemeStatus) -> None:
    theme = session.get_one(LearningTheme, world.theme.id)
    theme.status = status
    session.add(theme)
    session.commit()


def evidence_for(session: Session, world: World, to_status: ThemeStatus) -> MoveEvidence:
    """What the quality lead sees beside moving the world's theme to ``to_status``."""
    theme = session.get_one(LearningTheme, world.theme.id)
    actor = actor_for(session, world.quality)
    return move_evidence(session, actor=actor, theme=theme, to_status=to_status, now=START)


def moved_by_hand(
    session: Session, world: World, to_status: ThemeStatus, reason: str
) -> ThemeTransition:
    theme = session.get_one(LearningTheme, world.theme.id)
    actor = actor_for(session, world.quality)
    return move_theme(
        session, actor=actor, theme=theme, to_status=to_status, reason=reason, now=START
    )


def test_eight_weeks_on_every_shift_supports_embedded_and_the_history_keeps_the_evidence(
    session: Session, world: World
) -> None:
    observe_every_shift(session, world, weeks=8)

    evidence = evidence_for(session, world, ThemeStatus.embedded)

    assert evidence.judged
    assert not evidence.against
    [rosewood] = evidence.sites
    assert (rosewood.site.id, rosewood.weeks_embedded, rosewood.holds) == (world.site.id, 8, True)
    moved = moved_by_hand(session, world, ThemeStatus.embedded, "Held on nights.")
    assert moved.reason.startswith("Held on nights. — moved with the evidence: Rosewood House:")
    assert "for 8 weeks running (needed: 8)" in moved.reason


def test_moving_to_embedded_without_the_weeks_is_against_the_evidence(
    session: Session, world: World
) -> None:
    observe_every_shift(session, world, weeks=3)

    evidence = evidence_for(session, world, ThemeStatus.embedded)

    assert evidence.against
    assert evidence.supported is None
    assert [(s.weeks_embedded, s.holds) for s in evidence.sites] == [(3, False)]


def test_back_to_embedding_while_the_criteria_hold_is_against_the_evidence(
    session: Session, world: World
) -> None:
    set_status(session, world, ThemeStatus.embedded)
    observe_every_shift(session, world, weeks=8)

    assert evidence_for(session, world, ThemeStatus.embedding).against
    # Retiring is not a move the evidence judges.
    assert not evidence_for(session, world, ThemeStatus.retired).judged


def test_a_move_the_evidence_does_not_judge_is_kept_as_written(
    session: Session, world: World
) -> None:
    moved = moved_by_hand(session, world, ThemeStatus.retired, "Replaced by the new plan.")
    assert moved.reason == "Replaced by the new plan."


def test_the_move_page_shows_the_evidence_at_each_site_and_warns_against_it(
    client: TestClient, session: Session, world: World
) -> None:
    observe_every_shift(session, world, weeks=3)
    check(session, world)  # raises what the check raises: here, nothing drifts
    sign_in(client, world.quality)
    form = {"to_status": "embedded", "reason": "The team feels ready."}

    page = client.post(MOVE.format(world.theme.id), data=form)

    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Moving ‘Proactive engagement’ from embedding to embedded" in text
    assert "The evidence does not support this move." in text
    assert "Rosewood House</strong>: 3 of 8 weeks on target on every shift" in text
    assert "The criteria for embedded do not hold yet" in text
    assert "0 open alerts" in text
    assert "Why move it against the evidence" in text
    assert moves_to(session, world.theme.id, ThemeStatus.embedded) == []  # not moved yet

    emptied = client.post(
        MOVE.format(world.theme.id), data={**form, "reason": " ", "confirm": "yes"}
    )
    assert emptied.status_code == 422
    again = html.unescape(emptied.text)
    assert "Say why: the evidence for this move." in again
    assert "3 of 8 weeks on target on every shift" in again  # the evidence stays in sight
    assert session.get_one(LearningTheme, world.theme.id).status is ThemeStatus.embedding

    done = client.post(MOVE.format(world.theme.id), data={**form, "confirm": "yes"})
    assert done.status_code == 303
    [moved] = moves_to(session, world.theme.id, ThemeStatus.embedded)
    assert moved.reason.startswith("The team feels ready. — moved against the evidence:")
    detail = client.get(f"/themes/{world.theme.id}")
    assert "moved against the evidence" in html.unescape(detail.text)


def test_the_move_page_says_when_the_evidence_supports_the_move(
    client: TestClient, session: Session, world: World
) -> None:
    observe_every_shift(session, world, weeks=8)
    sign_in(client, world.quality)
    page = client.post(
        MOVE.format(world.theme.id), data={"to_status": "embedded", "reason": "Eight weeks."}
    )
    text = html.unescape(page.text)
    assert "The evidence supports this move." in text
    assert "8 of 8 weeks on target on every shift" in text
    assert "The criteria for embedded hold" in text


def test_only_who_manages_themes_may_move_one(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.manager)
    refused = client.post(
        MOVE.format(world.theme.id),
        data={"to_status": "embedded", "reason": "Ready", "confirm": "yes"},
    )
    assert refused.status_code == 403
    assert session.get_one(LearningTheme, world.theme.id).status is ThemeStatus.embedding


def test_a_move_by_hand_decides_the_proposal_waiting_on_it(
    client: TestClient, session: Session, world: World
) -> None:
    observe_every_shift(session, world, weeks=8)
    [waiting] = [p for p in proposals(session) if p.theme_id == world.theme.id]
    sign_in(client, world.quality)
    form = {"to_status": "embedded", "reason": "Seen on nights myself."}

    page = client.post(MOVE.format(world.theme.id), data=form)
    assert f"/proposals/{waiting.id}" in page.text
    assert "This move confirms it" in page.text
    done = client.post(MOVE.format(world.theme.id), data={**form, "confirm": "yes"})
    assert done.status_code == 303

    session.rollback()  # a fresh look at what the request wrote
    session.refresh(waiting)
    assert waiting.decision is Decision.confirmed
    assert waiting.reason == "Moved by hand to embedded: Seen on nights myself."
    assert waiting.open_key is None
    assert client.get(f"/proposals/{waiting.id}").status_code == 200


def test_moving_elsewhere_by_hand_declines_the_waiting_proposal(
    session: Session, world: World
) -> None:
    observe_every_shift(session, world, weeks=8)
    [waiting] = [p for p in proposals(session) if p.theme_id == world.theme.id]

    moved_by_hand(session, world, ThemeStatus.retired, "Replaced by the new plan.")

    session.refresh(waiting)
    assert waiting.decision is Decision.declined
    assert waiting.reason.startswith("Moved by hand to retired:")
