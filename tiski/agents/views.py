from __future__ import annotations

from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from tiski.agents import ratelimit
from tiski.agents.actions import set_availability, update_preferences
from tiski.agents.forms import LoginForm, PreferencesForm
from tiski.agents.models import Agent
from tiski.core.actors import Actor
from tiski.core.errors import ActionError


def client_address(request: HttpRequest) -> str:
    # Behind a proxy set TISKI_HTTPS and let the proxy overwrite REMOTE_ADDR
    # (uvicorn --proxy-headers); X-Forwarded-For itself is client-controlled.
    return request.META.get("REMOTE_ADDR", "unknown")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("inbox")
    form = LoginForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        address = client_address(request)
        if ratelimit.is_blocked(address, email):
            form.add_error(None, _("Too many failed attempts. Wait a few minutes and try again."))
            status = 429
        else:
            agent = auth.authenticate(request, email=email, password=form.cleaned_data["password"])
            if agent is None:
                ratelimit.record_failure(address, email)
                form.add_error(None, _("Email or password is wrong."))
                status = 400
            else:
                ratelimit.clear(address, email)
                auth.login(request, agent)
                target = form.cleaned_data.get("next") or ""
                if not url_has_allowed_host_and_scheme(
                    target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
                ):
                    target = "/"
                return HttpResponseRedirect(target or "/")
    elif request.method == "POST":
        status = 400
    return render(request, "agents/login.html", {"form": form}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect("login")


@login_required
@require_http_methods(["GET", "POST"])
def preferences_view(request: HttpRequest) -> HttpResponse:
    agent = request.user
    assert isinstance(agent, Agent)
    initial = {"name": agent.name, "language": agent.language, "timezone": agent.timezone}
    form = PreferencesForm(request.POST or None, initial=initial, agent=agent)
    if request.method == "POST" and form.is_valid():
        try:
            update_preferences(agent, actor=Actor.for_agent(agent), **form.cleaned_data)
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("preferences")
    return render(request, "agents/preferences.html", {"form": form})


@login_required
@require_POST
def availability_view(request: HttpRequest) -> HttpResponse:
    """The agent switches between available and away (for chats and routing)."""
    agent = request.user
    assert isinstance(agent, Agent)
    try:
        set_availability(
            agent, availability=request.POST.get("value", ""), actor=Actor.for_agent(agent)
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    if request.headers.get("HX-Request") == "true":
        from tiski.conversations.views.live import render_nav

        return render_nav(request, agent)
    return redirect("inbox")
