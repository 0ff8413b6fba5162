"""Sign-in, sign-out, the account page, and accepting an invitation; and the auth API."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from app.auth import invitations, service
from app.auth.account import account_page, sign_ins_ended
from app.auth.actor import Actor
from app.auth.dependencies import (
    ActorDep,
    OpenInvitationDep,
    OptionalActorDep,
    PageActorDep,
    PasswordsDep,
    SettingsDep,
)
from app.auth.schemas import (
    InvitationAcceptance,
    LoginRequest,
    MePublic,
    PasswordChange,
    SiteRolePublic,
)
from app.clock import ClockDep
from app.config import Settings
from app.db import SessionDep
from app.errors import TooManyAttempts
from app.forms import FormDep, form_page, submit_form, validate
from app.problems import problem_responses
from app.security import SESSION_COOKIE
from app.web import redirect_to, render

router = APIRouter(tags=["auth"], include_in_schema=False)
api_router = APIRouter(prefix="/auth", tags=["auth"])
me_router = APIRouter(tags=["auth"])


def set_session_cookie(
    response: Response, request: Request, token: str, settings: Settings
) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_absolute_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https" or not settings.is_development,
        path="/",
    )


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to somebody else's."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login", name="auth:login_form")
def login_form(request: Request, actor: OptionalActorDep, next: str = "/") -> Response:
    if actor is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return form_page(request, "auth/login.html", {"next": safe_next(next), "email": ""})


@router.post("/login", name="auth:login")
def login(
    request: Request,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
) -> Response:
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    next_path = safe_next(str(form.get("next", "/")))
    context = {"next": next_path, "email": email}

    def save() -> Response:
        credentials = validate(LoginRequest, {"email": email, "password": password})
        try:
            signed_in = service.sign_in(
                session,
                email=credentials.email,
                password=credentials.password,
                client_address=client_address(request),
                now=clock.now(),
                settings=settings,
                passwords=passwords,
            )
        except (service.SignInFailed, TooManyAttempts) as error:
            # Answered, not raised: the failure is saved, and counts towards the throttle.
            response = render(
                request,
                "auth/login.html",
                {**context, "form_error": error.message},
                status_code=error.status_code,
            )
            response.headers.update(error.headers)
            return response
        response = RedirectResponse(next_path, status_code=303)
        set_session_cookie(response, request, signed_in.token, settings)
        return response

    return submit_form(
        session,
        save,
        show_again=lambda error: form_page(request, "auth/login.html", context, errors=error),
    )


@router.post("/logout", name="auth:logout")
def logout(
    request: Request, actor: OptionalActorDep, session: SessionDep, clock: ClockDep
) -> Response:
    _end_session(request, session, actor, clock)
    response = redirect_to(request, "auth:login_form")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _end_session(
    request: Request, session: SessionDep, actor: Actor | None, clock: ClockDep
) -> None:
    """End the sign-in, and let other domains forget what it left."""
    if actor is not None and actor.session_id is not None:
        service.sign_out(session, session_id=actor.session_id, now=clock.now())
        sign_ins_ended(request, session, actor.user_id)


@router.get("/account", name="auth:account")
def account(
    request: Request, actor: PageActorDep, session: SessionDep, clock: ClockDep
) -> Response:
    return account_page(request, session, actor, clock.now())


@router.post("/account/password", name="auth:change_password")
def change_password(
    request: Request,
    actor: PageActorDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
) -> Response:

    def save() -> Response:
        change = validate(PasswordChange, dict(form))
        signed_in = service.change_password(
            session,
            actor=actor,
            current_password=change.current_password,
            new_password=change.new_password,
            now=clock.now(),
            settings=settings,
            passwords=passwords,
        )
        sign_ins_ended(request, session, actor.user_id)
        response = account_page(request, session, actor, clock.now(), {"changed": True})
        set_session_cookie(response, request, signed_in.token, settings)
        return response

    return submit_form(
        session,
        save,
        show_again=lambda error: account_page(request, session, actor, clock.now(), errors=error),
    )


@router.get("/invitations/{token}", name="auth:invitation")
def invitation_form(request: Request, token: str, invitation: OpenInvitationDep) -> Response:
    return form_page(request, "auth/invitation.html", {"invitation": invitation, "token": token})


@router.post("/invitations/{token}", name="auth:accept_invitation")
def accept_invitation(
    request: Request,
    token: str,
    invitation: OpenInvitationDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
) -> Response:
    now = clock.now()

    def save() -> Response:
        answer = validate(InvitationAcceptance, dict(form))
        user = invitations.accept_invitation(
            session,
            invitation=invitation,
            password=answer.password,
            confirm_password=answer.confirm_password,
            now=now,
            passwords=passwords,
        )
        signed_in = service.open_session(session, user=user, now=now, settings=settings)
        response = redirect_to(request, "home:home")
        set_session_cookie(response, request, signed_in.token, settings)
        return response

    context = {"invitation": invitation, "token": token}
    return submit_form(
        session,
        save,
        show_again=lambda error: form_page(request, "auth/invitation.html", context, errors=error),
    )


@api_router.post(
    "/login",
    response_model=MePublic,
    name="auth_api:login",
    responses=problem_responses(401, 403, 413, 422, 429),
)
def api_login(
    request: Request,
    credentials: LoginRequest,
    response: Response,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
) -> MePublic:
    """Sign in; the answer sets the session cookie the other endpoints read."""
    # A refusal is raised; the failure it records is kept (``DomainError.keeps_writes``).
    signed_in = service.sign_in(
        session,
        email=credentials.email,
        password=credentials.password,
        client_address=client_address(request),
        now=clock.now(),
        settings=settings,
        passwords=passwords,
    )
    set_session_cookie(response, request, signed_in.token, settings)
    return me_public(service.load_actor(session, user=signed_in.user))


@api_router.post(
    "/logout", status_code=204, name="auth_api:logout", responses=problem_responses(403, 413)
)
def api_logout(
    request: Request, actor: OptionalActorDep, session: SessionDep, clock: ClockDep
) -> Response:
    _end_session(request, session, actor, clock)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@me_router.get("/me", response_model=MePublic, name="auth_api:me")
def api_me(actor: ActorDep) -> MePublic:
    return me_public(actor)


def me_public(actor: Actor) -> MePublic:
    return MePublic(
        id=actor.user_id,
        name=actor.name,
        email=actor.email,
        organisation_id=actor.organisation_id,
        main_role=actor.main_role,
        organisation_roles=sorted(actor.organisation_roles),
        sites=[
            SiteRolePublic(site_id=site_id, roles=sorted(roles))
            for site_id, roles in actor.site_roles.items()
        ],
    )
