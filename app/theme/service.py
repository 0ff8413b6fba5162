"""Learning themes: defining, revising and moving them through their lifecycle.

Rules:
- Quality leads and admins create, edit and move themes; everyone else reads the themes that
  apply to their sites, once they have left draft.
- An edit is a new revision: the whole theme as it was is kept, and behaviours or prompts whose
  wording changed are retired, not deleted, so records that cite them stay meaningful.
- Lifecycle: draft → pilot → embedding → embedded, back to embedding when practice drifts, and
  retired from anywhere. Every move needs a reason; pilot and embedding need at least one site.
- A theme in pilot or embedding is *active*: it is today's focus and its prompts are raised at
  handover at its sites, whose staff are told of it (``app.theme.focus``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.audit.service import record_event
from app.auth.actor import Actor
from app.auth.permissions import OrgCapability, SiteCapability
from app.errors import Invalid, NotFound
from app.theme.focus import announce_focus, announce_to_added_sites
from app.theme.models import (
    ACTIVE_STATUSES,
    Behaviour,
    HandoverPrompt,
    LearningTheme,
    ThemeRevision,
    ThemeSite,
    ThemeStatus,
    ThemeTransition,
)
from app.theme.schemas import ThemeInput

NEXT_STATUSES: dict[ThemeStatus, tuple[ThemeStatus, ...]] = {
    ThemeStatus.draft: (ThemeStatus.pilot, ThemeStatus.embedding, ThemeStatus.retired),
    ThemeStatus.pilot: (ThemeStatus.embedding, ThemeStatus.draft, ThemeStatus.retired),
    ThemeStatus.embedding: (ThemeStatus.embedded, ThemeStatus.retired),
    ThemeStatus.embedded: (ThemeStatus.embedding, ThemeStatus.retired),
    ThemeStatus.retired: (),
}
OBSERVED_STATUSES = (*ACTIVE_STATUSES, ThemeStatus.embedded)


@dataclass(frozen=True)
class ThemeView:
    """A theme with what it says now: its sites, current behaviours and prompts."""

    theme: LearningTheme
    site_ids: list[uuid.UUID]
    behaviours: list[Behaviour]
    prompts: list[HandoverPrompt]


def list_themes(
    session: Session,
    *,
    actor: Actor,
    status: ThemeStatus | None = None,
    site_id: uuid.UUID | None = None,
) -> list[LearningTheme]:
    """The themes the actor may see, optionally only those in one status or at one site.
    A site outside the actor's scope is "not found"."""
    query = select(LearningTheme).where(LearningTheme.organisation_id == actor.organisation_id)
    if not actor.can_org(OrgCapability.manage_themes):
        visible = select(ThemeSite.theme_id).where(col(ThemeSite.site_id).in_(actor.site_ids))
        query = query.where(
            col(LearningTheme.id).in_(visible), LearningTheme.status != ThemeStatus.draft
        )
    if site_id is not None:
        if site_id not in actor.site_ids:
            raise NotFound()
        at_site = select(ThemeSite.theme_id).where(ThemeSite.site_id == site_id)
        query = query.where(col(LearningTheme.id).in_(at_site))
    if status is not None:
        query = query.where(LearningTheme.status == status)
    return list(session.exec(query.order_by(LearningTheme.title)))


def get_theme(session: Session, *, actor: Actor, theme_id: uuid.UUID) -> LearningTheme:
    """A theme the actor may see; any other id is "not found"."""
    theme = session.get(LearningTheme, theme_id)
    if theme is None or theme.organisation_id != actor.organisation_id:
        raise NotFound()
    if actor.can_org(OrgCapability.manage_themes):
        return theme
    if theme.status == ThemeStatus.draft or not set(_site_ids(session, theme.id)) & actor.site_ids:
        raise NotFound()
    return theme


def view_theme(session: Session, *, theme: LearningTheme) -> ThemeView:
    return view_themes(session, themes=[theme])[0]


def view_themes(session: Session, *, themes: Sequence[LearningTheme]) -> list[ThemeView]:
    """Views of several themes in three queries, however many themes there are."""
    theme_ids = [theme.id for theme in themes]
    if not theme_ids:
        return []
    sites: defaultdict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for theme_id, site_id in session.exec(
        select(ThemeSite.theme_id, ThemeSite.site_id).where(col(ThemeSite.theme_id).in_(theme_ids))
    ):
        sites[theme_id].append(site_id)
    behaviours = _current_by_theme(session, Behaviour, theme_ids)
    prompts = _current_by_theme(session, HandoverPrompt, theme_ids)
    return [
        ThemeView(
            theme=theme,
            site_ids=sites[theme.id],
            behaviours=behaviours[theme.id],
            prompts=prompts[theme.id],
        )
        for theme in themes
    ]


def active_themes_for_site(
    session: Session, *, actor: Actor, site_id: uuid.UUID
) -> list[ThemeView]:
    """Today's focus at a site: its themes in pilot or embedding, oldest first."""
    return _themes_at_site(session, actor=actor, site_id=site_id, statuses=ACTIVE_STATUSES)


def observable_themes_for_site(
    session: Session, *, actor: Actor, site_id: uuid.UUID
) -> list[ThemeView]:
    """The themes a manager may observe at a site: the active ones, and the embedded ones, which
    walk rounds keep checking so that drift shows."""
    return _themes_at_site(session, actor=actor, site_id=site_id, statuses=OBSERVED_STATUSES)


def _themes_at_site(
    session: Session, *, actor: Actor, site_id: uuid.UUID, statuses: tuple[ThemeStatus, ...]
) -> list[ThemeView]:
    actor.require(SiteCapability.view, site_id)
    themes = session.exec(
        select(LearningTheme)
        .join(ThemeSite, col(ThemeSite.theme_id) == LearningTheme.id)
        .where(ThemeSite.site_id == site_id, col(LearningTheme.status).in_(statuses))
        .order_by(col(LearningTheme.start_date).asc().nulls_last(), LearningTheme.title)
    )
    return view_themes(session, themes=list(themes))


def create_theme(
    session: Session, *, actor: Actor, data: ThemeInput, now: datetime
) -> LearningTheme:
    actor.require_org(OrgCapability.manage_themes)
    _check_sites(actor, data.site_ids)
    theme = LearningTheme(
        organisation_id=actor.organisation_id,
        title=data.title,
        why=data.why,
        source_kind=data.source_kind,
        source_reference=data.source_reference,
        start_date=data.start_date,
        created_by_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(theme)
    session.flush()
    _set_sites(session, theme, data.site_ids)
    _add_lines(session, Behaviour, theme, data.behaviours, start=0)
    _add_lines(session, HandoverPrompt, theme, data.prompts, start=0)
    _keep_revision(session, actor=actor, theme=theme, data=data, now=now)
    _audit(session, actor, theme, "create", now, summary=f"status={theme.status.value}")
    return theme


def revise_theme(
    session: Session, *, actor: Actor, theme: LearningTheme, data: ThemeInput, now: datetime
) -> LearningTheme:
    """Save an edit as a new revision; the staff of sites it adds to an active theme are told."""
    actor.require_org(OrgCapability.manage_themes)
    if theme.status == ThemeStatus.retired:
        raise Invalid.one("status", "A retired theme cannot be edited.")
    _check_sites(actor, data.site_ids)
    if theme.status.is_active and not data.site_ids:
        raise Invalid.one("site_ids", "A theme in pilot or embedding needs at least one site.")
    theme.revision += 1
    theme.title, theme.why = data.title, data.why
    theme.source_kind, theme.source_reference = data.source_kind, data.source_reference
    theme.start_date, theme.updated_at = data.start_date, now
    session.add(theme)
    added = _set_sites(session, theme, data.site_ids)
    announce_to_added_sites(session, actor=actor, theme=theme, site_ids=added, now=now)
    _replace_lines(session, Behaviour, theme, data.behaviours)
    _replace_lines(session, HandoverPrompt, theme, data.prompts)
    _keep_revision(session, actor=actor, theme=theme, data=data, now=now)
    _audit(session, actor, theme, "revise", now, summary=f"revision={theme.revision}")
    return theme


def transition_theme(
    session: Session,
    *,
    actor: Actor,
    theme: LearningTheme,
    to_status: ThemeStatus,
    reason: str,
    now: datetime,
) -> ThemeTransition:
    check_transition(session, actor=actor, theme=theme, to_status=to_status, reason=reason)
    transition = ThemeTransition(
        theme_id=theme.id,
        from_status=theme.status,
        to_status=to_status,
        reason=reason.strip(),
        actor_id=actor.user_id,
        at=now,
    )
    theme.status, theme.updated_at = to_status, now
    session.add_all([theme, transition])
    if to_status.is_active and not transition.from_status.is_active:
        announce_focus(session, actor=actor, theme=theme, transition=transition, now=now)
    _audit(
        session,
        actor,
        theme,
        "transition",
        now,
        summary=f"{transition.from_status.value}->{to_status.value}",
    )
    return transition


def check_transition(
    session: Session, *, actor: Actor, theme: LearningTheme, to_status: ThemeStatus, reason: str
) -> None:
    """Refuse a move the lifecycle does not allow, or one without its sites or reason; the
    page asks for confirmation only of a move that would be made."""
    actor.require_org(OrgCapability.manage_themes)
    if to_status not in NEXT_STATUSES[theme.status]:
        allowed = ", ".join(status.label.lower() for status in NEXT_STATUSES[theme.status])
        raise Invalid.one(
            "to_status",
            f"A {theme.status.label.lower()} theme can move to: {allowed}."
            if allowed
            else "A retired theme cannot move.",
        )
    if to_status.is_active and not _site_ids(session, theme.id):
        raise Invalid.one("to_status", "Choose the sites this theme applies to first.")
    if not reason.strip():
        raise Invalid.one("reason", "Say why: the evidence for this move.")


def theme_titles(session: Session, *, theme_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Titles for records that cite a theme, whatever stage it has reached since."""
    wanted = set(theme_ids)
    if not wanted:
        return {}
    rows = session.exec(
        select(LearningTheme.id, LearningTheme.title).where(col(LearningTheme.id).in_(wanted))
    )
    return dict(rows.all())


def _site_ids(session: Session, theme_id: uuid.UUID) -> list[uuid.UUID]:
    return list(session.exec(select(ThemeSite.site_id).where(ThemeSite.theme_id == theme_id)))


def _check_sites(actor: Actor, site_ids: Sequence[uuid.UUID]) -> None:
    if not set(site_ids) <= actor.site_ids:
        raise Invalid.one("site_ids", "Choose sites from your organisation.")


def _set_sites(
    session: Session, theme: LearningTheme, site_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """Link the theme to these sites and no others; answers the sites it did not have."""
    current = set(_site_ids(session, theme.id))
    wanted = set(site_ids)
    for link in session.exec(
        select(ThemeSite).where(
            ThemeSite.theme_id == theme.id, col(ThemeSite.site_id).in_(current - wanted)
        )
    ):
        session.delete(link)
    session.add_all(ThemeSite(theme_id=theme.id, site_id=site_id) for site_id in wanted - current)
    return wanted - current


Line = type[Behaviour] | type[HandoverPrompt]


def _current(
    session: Session, model: Line, theme_id: uuid.UUID
) -> Sequence[Behaviour | HandoverPrompt]:
    return session.exec(
        select(model)
        .where(model.theme_id == theme_id, col(model.retired_in_revision).is_(None))
        .order_by(model.position)
    ).all()


def _current_by_theme(
    session: Session, model: Line, theme_ids: Sequence[uuid.UUID]
) -> defaultdict[uuid.UUID, list[Behaviour | HandoverPrompt]]:
    lines: defaultdict[uuid.UUID, list[Behaviour | HandoverPrompt]] = defaultdict(list)
    for line in session.exec(
        select(model)
        .where(col(model.theme_id).in_(theme_ids), col(model.retired_in_revision).is_(None))
        .order_by(model.theme_id, model.position)
    ):
        lines[line.theme_id].append(line)
    return lines


def _add_lines(
    session: Session, model: Line, theme: LearningTheme, texts: Sequence[str], *, start: int
) -> None:
    session.add_all(
        model(
            theme_id=theme.id, position=start + index, text=text, added_in_revision=theme.revision
        )
        for index, text in enumerate(texts)
    )


def _replace_lines(
    session: Session, model: Line, theme: LearningTheme, texts: Sequence[str]
) -> None:
    """Keep lines whose wording is unchanged (re-ordered as asked); retire the rest; add new."""
    current = {line.text: line for line in _current(session, model, theme.id)}
    for position, text in enumerate(texts):
        line = current.pop(text, None)
        if line is None:
            session.add(
                model(
                    theme_id=theme.id,
                    position=position,
                    text=text,
                    added_in_revision=theme.revision,
                )
            )
        else:
            line.position = position
            session.add(line)
    for line in current.values():
        line.retired_in_revision = theme.revision
        session.add(line)


def _keep_revision(
    session: Session, *, actor: Actor, theme: LearningTheme, data: ThemeInput, now: datetime
) -> None:
    session.add(
        ThemeRevision(
            theme_id=theme.id,
            revision=theme.revision,
            content=data.model_dump(mode="json"),
            edited_by_id=actor.user_id,
            edited_at=now,
        )
    )
    session.flush()


def _audit(
    session: Session,
    actor: Actor,
    theme: LearningTheme,
    action: str,
    now: datetime,
    *,
    summary: str,
) -> None:
    record_event(
        session,
        organisation_id=actor.organisation_id,
        actor_id=actor.user_id,
        action=action,
        entity="learning_theme",
        entity_id=theme.id,
        at=now,
        summary=summary,
    )
