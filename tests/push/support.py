"""What a delivery test works with: the store, settings with push on, the clock, the fake push
service, and a carer and a colleague who may own devices."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.auth.models import User
from app.config import Settings
from app.push.dispatcher import deliver_pushes
from app.push.models import PushAttempt, PushMessage, PushSubscription
from app.push.outbox import Outgoing, Push, queue_pushes
from tests.push.fake_push_service import FakePushService, subscribe
from tests.support import FrozenClock

HANDOVER = Push(
    title="Handover is ready",
    body="Read it before your shift",
    url="/handovers/today",
    topic="handover-ready",
    urgency="high",
    ttl_seconds=3600,
)


@dataclass
class Delivery:
    session: Session
    settings: Settings
    clock: FrozenClock
    service: FakePushService
    carer: User
    colleague: User

    def device(
        self, user: User | None = None, *, session_id: uuid.UUID | None = None
    ) -> PushSubscription:
        """A device of ``user`` (the carer unless said) subscribed at the fake service."""
        owner = user or self.carer
        return subscribe(
            self.session, self.service, owner.id, now=self.clock.now(), session_id=session_id
        )

    def queue(
        self, push: Push = HANDOVER, *, user: User | None = None, due_at: datetime | None = None
    ) -> PushMessage:
        """A message for ``user`` (the carer unless said), due now unless said, queued as the
        inbox queues one."""
        notification_id = uuid.uuid4()
        queue_pushes(
            self.session,
            [
                Outgoing(
                    notification_id=notification_id,
                    user_id=(user or self.carer).id,
                    push=push,
                    due_at=due_at or self.clock.now(),
                )
            ],
            now=self.clock.now(),
        )
        self.session.commit()
        return self.session.exec(
            select(PushMessage).where(PushMessage.notification_id == notification_id)
        ).one()

    def deliver(self, settings: Settings | None = None) -> int:
        """Delivery as the worker runs it: from the start of a transaction, so on SQLite it
        takes the write lock when it begins."""
        self.session.commit()
        return deliver_pushes(self.session, settings or self.settings, self.clock.now())

    def message(self, message: PushMessage) -> PushMessage:
        """The message as the store has it now (another session may have changed it)."""
        return self.session.get_one(PushMessage, message.id, populate_existing=True)

    def attempts(self, message: PushMessage) -> list[PushAttempt]:
        """Each try at ``message``, oldest first."""
        return list(
            self.session.exec(
                select(PushAttempt)
                .where(PushAttempt.message_id == message.id)
                .order_by(col(PushAttempt.attempted_at), col(PushAttempt.status_code))
            )
        )

    def outcomes(self, message: PushMessage) -> list[tuple[uuid.UUID | None, int | None, str]]:
        """(device, status code, outcome) of each try at ``message``, oldest first."""
        return [(a.subscription_id, a.status_code, a.outcome) for a in self.attempts(message)]

    def subscribed(self, device: PushSubscription) -> bool:
        return self.session.get(PushSubscription, device.id) is not None
