"""The devices that get a person's notifications: each is a browser's push subscription, kept
for the signed-in person and the sign-in that made it.

Rules:
- One row per push address (endpoint). The same browser subscribing again (the page's refresh,
  or another person turning notifications on at a shared phone) updates that row: its owner,
  keys and sign-in. It is never a second row, so nobody is told twice on one phone.
- A person sees and removes only their own devices; anyone else's is "not found".
- Signing out on a device removes what that sign-in subscribed: a phone handed back at the end
  of a shift stops showing its last user's notifications. A password change removes every
  other sign-in's devices, and deactivation all of them, in the same transaction.
- A person keeps their ``MAX_DEVICES`` most recently used devices; subscribing one more forgets
  the oldest.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, delete, or_, select

from app.auth.actor import Actor
from app.auth.models import AuthSession, User
from app.db import insert_on_conflict
from app.errors import Invalid, NotFound
from app.push.endpoints import PushServices, endpoint_problem
from app.push.models import PushSubscription
from app.push.schemas import SubscriptionCreate

NO_SUCH_DEVICE = "We could not find that device among yours."
MAX_DEVICES = 10  # a phone or two, a tablet and a computer, with room to spare


@dataclass(frozen=True)
class Kept:
    device: PushSubscription
    created: bool


def device_label(user_agent: str) -> str:
    """A short name for a device, from its browser's User-Agent: enough to tell the phone from
    the computer in a list, and no more of what the full string says about a person's device."""
    agent = user_agent.lower()
    if "iphone" in agent:
        return "iPhone"
    if "ipad" in agent:
        return "iPad"
    if "android" in agent:
        return "Android phone" if "mobile" in agent else "Android tablet"
    return "Computer"


def keep_subscription(
    session: Session,
    *,
    actor: Actor,
    data: SubscriptionCreate,
    user_agent: str,
    services: PushServices,
    now: datetime,
) -> Kept:
    """Keep a browser's subscription for the actor's sign-in: new, or the same endpoint
    updated in place (``created`` says which). A label given once stays until another is."""
    reason = endpoint_problem(data.endpoint, services)
    if reason is not None:
        raise Invalid.one("endpoint", reason)
    new_id = uuid.uuid4()
    table = PushSubscription.__table__
    statement = insert_on_conflict(session, table).values(
        id=new_id,
        user_id=actor.user_id,
        session_id=actor.session_id,
        endpoint=data.endpoint,
        p256dh=data.keys.p256dh,
        auth=data.keys.auth,
        label=data.label or device_label(user_agent),
        created_at=now,
        last_used_at=now,
    )
    changed = ["user_id", "session_id", "p256dh", "auth", "last_used_at"]
    if data.label is not None:
        changed.append("label")
    kept_id = session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.endpoint],
            set_={name: statement.excluded[name] for name in changed},
        ).returning(table.c.id)
    ).scalar_one()
    _keep_the_latest_devices(session, actor.user_id)
    device = session.get_one(PushSubscription, kept_id, populate_existing=True)
    return Kept(device=device, created=kept_id == new_id)


def _keep_the_latest_devices(session: Session, user_id: uuid.UUID) -> None:
    """Forget a person's least recently used devices beyond ``MAX_DEVICES``: a browser that was
    reset, or one account scripted to subscribe over and over, would otherwise make every one
    of their notifications a post to each of a growing list of addresses."""
    latest = (
        select(PushSubscription.id)
        .where(PushSubscription.user_id == user_id)
        .order_by(col(PushSubscription.last_used_at).desc(), col(PushSubscription.id))
        .limit(MAX_DEVICES)
    )
    session.exec(
        delete(PushSubscription).where(
            PushSubscription.user_id == user_id, col(PushSubscription.id).not_in(latest)
        )
    )


def list_devices(session: Session, *, actor: Actor) -> list[PushSubscription]:
    """The actor's devices, the most recently used first."""
    return list(
        session.exec(
            select(PushSubscription)
            .where(PushSubscription.user_id == actor.user_id)
            .order_by(col(PushSubscription.last_used_at).desc(), col(PushSubscription.id))
        )
    )


def remove_device(session: Session, *, actor: Actor, device_id: uuid.UUID) -> bool:
    """The account page's Remove: one of the actor's own devices. Answers whether it was the
    device of this sign-in, whose browser must then forget its subscription too, or the page
    Remove returns to would quietly subscribe it again."""
    removed = _delete_own(session, actor, PushSubscription.id == device_id)
    if not removed:
        raise NotFound(NO_SUCH_DEVICE)
    return removed[0] == actor.session_id


def forget_endpoint(session: Session, *, actor: Actor, endpoint: str) -> None:
    """A browser unsubscribing: only its owner's row goes; anyone else's is "not found"."""
    if not _delete_own(session, actor, PushSubscription.endpoint == endpoint):
        raise NotFound(NO_SUCH_DEVICE)


def forget_signed_out_devices(session: Session, user_id: uuid.UUID) -> None:
    """When some of a person's sign-ins end (``app.state.sign_ins_ended_hooks``): the devices
    those sign-ins subscribed, or every device once the account is deactivated. A phone handed
    back at the end of a shift, or left signed in before a password change, stops showing this
    person's notifications at once."""
    user = session.get_one(User, user_id)
    ended = select(AuthSession.id).where(
        AuthSession.user_id == user_id, col(AuthSession.revoked_at).is_not(None)
    )
    session.exec(
        delete(PushSubscription).where(
            PushSubscription.user_id == user_id,
            or_(not user.active, col(PushSubscription.session_id).in_(ended)),
        )
    )


def _delete_own(
    session: Session, actor: Actor, which: ColumnElement[bool] | bool
) -> list[uuid.UUID | None]:
    """Delete the actor's devices that match; answers the sign-in each was subscribed under."""
    removed = session.exec(
        delete(PushSubscription)
        .where(PushSubscription.user_id == actor.user_id, which)
        .returning(PushSubscription.session_id)
    )
    return list(removed.scalars())
