"""A learning theme's history: its lifecycle moves and the revisions of its wording, each kept
as it was."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.auth import service as auth_service
from app.errors import NotFound
from app.theme.models import LearningTheme, ThemeRevision, ThemeTransition


@dataclass(frozen=True)
class ThemeHistory:
    """A theme's lifecycle moves and revisions, newest first, and the names of who made them."""

    transitions: list[ThemeTransition]
    revisions: list[ThemeRevision]
    names: dict[uuid.UUID, str]


def list_transitions(session: Session, *, theme: LearningTheme) -> list[ThemeTransition]:
    return list(
        session.exec(
            select(ThemeTransition)
            .where(ThemeTransition.theme_id == theme.id)
            .order_by(col(ThemeTransition.at).desc())
        )
    )


def list_revisions(session: Session, *, theme: LearningTheme) -> list[ThemeRevision]:
    return list(
        session.exec(
            select(ThemeRevision)
            .where(ThemeRevision.theme_id == theme.id)
            .order_by(col(ThemeRevision.revision).desc())
        )
    )


def get_revision(session: Session, *, theme: LearningTheme, revision: int) -> ThemeRevision:
    found = session.exec(
        select(ThemeRevision).where(
            ThemeRevision.theme_id == theme.id, ThemeRevision.revision == revision
        )
    ).first()
    if found is None:
        raise NotFound()
    return found


def theme_history(session: Session, *, theme: LearningTheme) -> ThemeHistory:
    transitions = list_transitions(session, theme=theme)
    revisions = list_revisions(session, theme=theme)
    people = {move.actor_id for move in transitions} | {rev.edited_by_id for rev in revisions}
    return ThemeHistory(transitions, revisions, auth_service.user_names(session, people))
