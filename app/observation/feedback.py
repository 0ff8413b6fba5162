"""Feedback on a staff member's own practice, for their home screen: the observations of them,
newest first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app.auth.actor import Actor
from app.observation.models import Observation
from app.org.models import Site
from app.theme import service as theme_service

FEEDBACK_SHOWN = 50


@dataclass(frozen=True)
class FeedbackForHome:
    id: uuid.UUID
    theme_title: str
    observed_at: datetime
    observed_on: date  # in the site's time zone
    went_well: str
    next_step: str
    has_reflection: bool


def feedback_for_home(session: Session, *, actor: Actor) -> list[FeedbackForHome]:
    """Feedback on the actor's own practice, newest first: the latest ``FEEDBACK_SHOWN``
    observations of them that are not void."""
    observations = session.exec(
        select(Observation)
        .where(
            Observation.observed_user_id == actor.user_id,
            col(Observation.site_id).in_(actor.site_ids),
            col(Observation.voided_at).is_(None),
        )
        .order_by(col(Observation.observed_at).desc(), col(Observation.id))
        .limit(FEEDBACK_SHOWN)
    ).all()
    titles = theme_service.theme_titles(session, theme_ids={o.theme_id for o in observations})
    zones = _zones(session, site_ids={o.site_id for o in observations})
    return [
        FeedbackForHome(
            id=observation.id,
            theme_title=titles.get(observation.theme_id, ""),
            observed_at=observation.observed_at,
            observed_on=observation.observed_at.astimezone(zones[observation.site_id]).date(),
            went_well=observation.went_well,
            next_step=observation.next_step,
            has_reflection=bool(observation.reflection),
        )
        for observation in observations
    ]


def _zones(session: Session, *, site_ids: set[uuid.UUID]) -> dict[uuid.UUID, ZoneInfo]:
    if not site_ids:
        return {}
    sites = session.exec(select(Site).where(col(Site.id).in_(site_ids)))
    return {site.id: ZoneInfo(site.time_zone) for site in sites}
