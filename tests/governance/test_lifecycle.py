"""The lifecycle moved by evidence: the governance check proposes embedding → embedded when the
criteria hold on every shift, and embedded → embedding on drift; a quality lead decides, with a
reason either way, and the theme's history keeps the evidence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.governance.check import check_organisation, theme_readings
from app.governance.criteria import criteria_for
from app.governance.flags import Flag
from app.governance.lifecycle import embedding_evidence
from app.governance.models import FlagKind, LifecycleProposal
from app.theme.models import LearningTheme, ThemeStatus, ThemeTransition
from tests.governance import helpers
from tests.support import START, World, api_sign_in, sign_in

SHIFT_HOURS = {"Early": 10, "Late": 16, "Night": 23}  # UTC; each inside its shift all year


def observe_every_shift(
    session: Session,
    world: World,
    weeks: int,
    ratings: tuple[int, ...] = (2, 2, 2),
    every: int = 1,
) -> None:
    """Each shift observed on the Tuesday of every ``every``-th of the last ``weeks`` complete
    weeks."""
    for back in range(0, weeks, every):
        day = datetime(2026, 11, 17, tzinfo=UTC) - timedelta(weeks=back)
        for hour in SHIFT_HOURS.values():
            helpers.observation(session, world, day.replace(hour=hour), ratings=ratings)


def proposals(session: Session) -> list[LifecycleProposal]:
    """Run the governance check, then every proposal stored."""
    session.rollback()  # a fresh look: what requests wrote since, not this session's snapshot
    check_organisation(session, organisation_id=_org(session), now=START)
    session.commit()
    return list(session.exec(select(LifecycleProposal)))


def _org(session: Session) -> object:
    return session.exec(select(LearningTheme.organisation_id)).first()


def propose(client: TestClient, proposal: LifecycleProposal, decision: str, reason: str) -> object:
    return client.post(
        f"/api/v1/governance/proposals/{proposal.id}/decision",
        json={"decision": decision, "reason": reason},
    )


def test_eight_weeks_on_target_on_every_shift_proposes_embedded_once(
    session: Session, world: World
) -> None:
    observe_every_shift(session, world, weeks=8)

    [proposal] = [p for p in proposals(session) if p.theme_id == world.theme.id]

    assert (proposal.from_status, proposal.to_status) == (
        ThemeStatus.embedding,
        ThemeStatus.embedded,
    )
    assert "on every shift for 8 weeks running (needed: 8)" in proposal.evidence[0]
    assert [p.id for p in proposals(session) if p.theme_id == world.theme.id] == [proposal.id]


def test_observing_each_shift_every_fortnight_keeps_the_run_going(
    session: Session, world: World
) -> None:
    observe_every_shift(session, world, weeks=9, every=2)  # weeks 1, 3, 5, 7 and 9 back
    [proposal] = [p for p in proposals(session) if p.theme_id == world.theme.id]
    assert "for 9 weeks running" in proposal.evidence[0]


def test_an_embed_is_judged_by_concerns_in_practice_not_in_the_sites_engagement(
    session: Session, world: World
) -> None:
    observe_every_shift(session, world, weeks=8)
    criteria = criteria_for(session, world.organisation.id)
    reading = theme_readings(
        session, theme=world.theme, sites=[world.site], criteria=criteria, now=START
    )
    signals, flags = reading[world.site.id]

    def concern(indicator: str) -> Flag:
        return Flag(FlagKind.concern, "Early", indicator, f"Early, {indicator}: concern")

    assert embedding_evidence(signals, [*flags, concern("engaged_2plus")], criteria)[0]
    holds, line = embedding_evidence(signals, [*flags, concern("explain_why")], criteria)
    assert not holds
    assert "1 special-cause concern in practice or explain-why" in line


def test_seven_weeks_is_not_yet_enough(session: Session, world: World) -> None:
    observe_every_shift(session, world, weeks=7)
    assert [p for p in proposals(session) if p.theme_id == world.theme.id] == []


def test_a_quality_lead_confirms_and_the_theme_moves_with_the_evidence_in_its_history(
    client: TestClient, session: Session, world: World
) -> None:
    observe_every_shift(session, world, weeks=8)
    [proposal] = [p for p in proposals(session) if p.theme_id == world.theme.id]
    api_sign_in(client, world.quality)

    answer = propose(client, proposal, "confirmed", "Practice held on nights too.")

    assert answer.status_code == 200  # type: ignore[attr-defined]
    session.rollback()  # a fresh look, not the snapshot of the last read
    assert session.get_one(LearningTheme, world.theme.id).status is ThemeStatus.embedded
    transition = session.exec(
        select(ThemeTransition).where(
            ThemeTransition.theme_id == world.theme.id,
            ThemeTransition.to_status == ThemeStatus.embedded,
        )
    ).one()
    assert transition.reason.startswith("Practice held on nights too. — proposed from the evidence")
    assert propose(client, proposal, "declined", "Changed my mind").status_code == 409  # type: ignore[attr-defined]


def test_a_decision_needs_a_reason_and_a_manager_may_not_decide(
    client: TestClient, session: Session, world: World
) -> None:
    observe_every_shift(session, world, weeks=8)
    [proposal] = [p for p in proposals(session) if p.theme_id == world.theme.id]
    api_sign_in(client, world.manager)
    assert propose(client, proposal, "confirmed", "Looks good").status_code == 403  # type: ignore[attr-defined]

    api_sign_in(client, world.quality)
    refused = propose(client, proposal, "declined", "")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert refused.json()["errors"][0]["field"] == "reason"  # type: ignore[attr-defined]


def test_an_embedded_theme_that_drifts_is_proposed_back_to_embedding(
    session: Session, world: World
) -> None:
    theme = session.get_one(LearningTheme, world.theme.id)
    theme.status = ThemeStatus.embedded
    session.add(theme)
    session.commit()
    observe_every_shift(session, world, weeks=2, ratings=(1, 1, 0))  # walk rounds still check it

    [proposal] = [p for p in proposals(session) if p.theme_id == world.theme.id]

    assert proposal.to_status is ThemeStatus.embedding
    assert any("practice score under 80 two weeks running" in line for line in proposal.evidence)


def test_on_the_page_the_quality_lead_declines_with_a_reason(
    client: TestClient, session: Session, world: World
) -> None:
    observe_every_shift(session, world, weeks=8)
    [proposal] = [p for p in proposals(session) if p.theme_id == world.theme.id]
    sign_in(client, world.quality)
    assert f"/proposals/{proposal.id}" in client.get("/governance").text

    unchosen = client.post(f"/proposals/{proposal.id}/decision", data={"reason": "Wait"})
    assert unchosen.status_code == 422
    assert "Choose: confirm the move, or not yet." in unchosen.text
    done = client.post(
        f"/proposals/{proposal.id}/decision",
        data={"decision": "declined", "reason": "One more month on nights first."},
    )
    assert done.status_code == 303
    page = client.get(done.headers["location"]).text
    assert "One more month on nights first." in page
    session.rollback()  # a fresh look, not the snapshot of the last read
    assert session.get_one(LearningTheme, world.theme.id).status is ThemeStatus.embedding


def test_the_dashboard_and_the_signals_count_the_run_as_the_proposal_does(
    client: TestClient, session: Session, world: World
) -> None:
    observe_every_shift(session, world, weeks=9, every=2)
    sign_in(client, world.manager)

    page = client.get(f"/sites/{world.site.id}/governance").text
    signals = client.get(
        "/api/v1/governance/signals",
        params={"theme_id": str(world.theme.id), "site_id": str(world.site.id)},
    ).json()

    assert "on target on every shift for 9 weeks running" in page
    assert signals["weeks_at_target"] == 9
