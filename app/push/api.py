"""The push API a browser uses: the key to subscribe with, and keeping or forgetting this
browser's subscription for the signed-in person (see ``service`` for the rules)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.auth.dependencies import ActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.push import service
from app.push.dependencies import PublicKeyDep, PushSettingsDep
from app.push.endpoints import PushServices
from app.push.schemas import DevicePublic, PublicKey, SubscriptionCreate, SubscriptionRemoval

api_router = APIRouter(prefix="/push", tags=["push"])


@api_router.get("/vapid-public-key", response_model=PublicKey, name="push_api:public_key")
def api_public_key(public_key: PublicKeyDep) -> PublicKey:
    """The ``applicationServerKey`` for ``pushManager.subscribe``; "not found" while push is
    off."""
    return PublicKey(public_key=public_key)


@api_router.post(
    "/subscriptions",
    response_model=DevicePublic,
    status_code=201,
    name="push_api:subscribe",
    responses={200: {"model": DevicePublic, "description": "Already kept: brought up to date."}},
)
def api_subscribe(
    request: Request,
    data: SubscriptionCreate,
    response: Response,
    actor: ActorDep,
    settings: PushSettingsDep,
    session: SessionDep,
    clock: ClockDep,
) -> DevicePublic:
    """Keep this browser's subscription (``PushSubscription.toJSON()``) for you and this
    sign-in: 201 when new, 200 when the same endpoint was kept already (a refresh)."""
    kept = service.keep_subscription(
        session,
        actor=actor,
        data=data,
        user_agent=request.headers.get("user-agent", ""),
        services=PushServices.of(settings),
        now=clock.now(),
    )
    if not kept.created:
        response.status_code = 200
    return DevicePublic.of(kept.device, actor=actor)


@api_router.delete("/subscriptions", status_code=204, name="push_api:unsubscribe")
def api_unsubscribe(data: SubscriptionRemoval, actor: ActorDep, session: SessionDep) -> Response:
    """Forget one of your subscriptions by its endpoint (allowed with push off too)."""
    service.forget_endpoint(session, actor=actor, endpoint=data.endpoint)
    return Response(status_code=204)
