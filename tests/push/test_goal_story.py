"""The story the push work exists for: a manager records feedback on the team lead's practice,
the worker runs, and the lead's phone receives exactly "Feedback on your practice is ready",
nothing more, opening the feedback through the inbox."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.inbox.models import Notification
from app.worker import run_jobs_once
from tests.observation.helpers import observe
from tests.push.fake_push_service import FakePushService, subscribe
from tests.support import START, FrozenClock, World


def test_feedback_on_the_leads_practice_reaches_the_leads_phone_and_only_that(
    engine: Engine,
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    world: World,
    push_service: FakePushService,
) -> None:
    lead = world.user("lead")
    phone = subscribe(session, push_service, lead.id, now=START)
    managers_phone = subscribe(session, push_service, world.user("manager").id, now=START)
    session.commit()
    run_jobs_once(engine, settings, clock)  # what building the world told people goes first
    before = len(push_service.received_by(phone))
    managers_before = len(push_service.received_by(managers_phone))

    feedback = observe(session, world, observed_user_id=str(lead.id))
    session.commit()
    run_jobs_once(engine, settings, clock)  # one round of the worker, as `make run` runs it

    [push] = push_service.received_by(phone)[before:]
    notification = session.exec(
        select(Notification).where(Notification.source_key == str(feedback.id))
    ).one()
    assert push.payload == {
        "title": "Feedback on your practice is ready",
        "body": "",
        "url": f"/inbox/{notification.id}/open",
        "tag": push.topic,
    }
    assert notification.url == f"/observations/{feedback.id}"
    assert push.ttl > 0
    assert notification.user_id == lead.id
    assert len(push_service.received_by(managers_phone)) == managers_before
