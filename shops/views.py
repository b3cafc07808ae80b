from copy import copy
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from knox.settings import knox_settings

from core.views import bound_form, button, create_once, form_page, run_form, run_service, submit

from . import services, tokens
from .forms import (
    ApiTokenForm,
    CreatorProfileForm,
    MemberAddForm,
    MemberRoleForm,
    ShopSettingsForm,
)
from .navigation import cards_for
from .roles import Perm
from .selectors import creator_eligibility, membership_list
from .tenancy import ContextKind, remember_choice


def console_view(audience: str | None = None, perm: str | None = None):
    """A console page: signed in, acting for a shop or creator the user has (else 404),
    as the right kind (shop or creator), and, when `perm` is given, holding it in the
    current shop (else 403)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            context = request.console
            if context.refused:
                raise Http404
            if audience is not None and context.kind != audience:
                if context.kind is None:
                    return render(request, "console/no_context.html", status=403)
                messages.info(request, _("请先切换到对应的店铺或达人身份。"))
                return redirect("console:home")
            if perm is not None and not context.has_perm(perm):
                raise PermissionDenied(_("你的角色没有这项权限。"))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@console_view()
def home(request):
    context = request.console
    if context.kind is None:
        return render(request, "console/no_context.html", status=403)
    template = (
        "console/home.html" if context.kind == ContextKind.SHOP else "console/creator_home.html"
    )
    extra = {}
    if context.kind == ContextKind.CREATOR:
        extra = {
            "eligibility": creator_eligibility(context.creator),
            "form": CreatorProfileForm(instance=context.creator),
        }
    return render(request, template, {"cards": cards_for(context), **extra})


@login_required
@require_POST
def switch_context(request):
    context = remember_choice(request, request.POST.get("context", ""))
    if context.kind is not None:
        messages.success(
            request, _("已切换到 %(name)s") % {"name": dict(context.choices)[context.key]}
        )
    return redirect("console:home")


@console_view(ContextKind.SHOP)
def shop_settings(request):
    context = request.console
    can_edit = context.has_perm(Perm.SHOP_SETTINGS_EDIT)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("只有店主可以修改店铺设置。"))
    form = bound_form(request, ShopSettingsForm, instance=copy(context.shop))
    done = submit(
        request,
        form,
        lambda data: services.shop_update_settings(context=context, data=data),
        success=_("店铺设置已保存。"),
        to="console:settings",
    )
    if done:
        return done
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "console/settings.html",
        {
            "form": form,
            "can_edit": can_edit,
            "can_manage_members": context.has_perm(Perm.MEMBERS_MANAGE),
            "can_manage_webhooks": context.has_perm(Perm.WEBHOOKS_MANAGE),
        },
    )


@console_view(ContextKind.SHOP, perm=Perm.MEMBERS_MANAGE)
def members(request):
    context = request.console
    return form_page(
        request,
        bound_form(request, MemberAddForm),
        lambda data: services.member_add(context=context, **data),
        success=_("成员已添加。"),
        to="console:settings_members",
        template="console/members.html",
        context={"members": membership_list(context=context), "role_form": MemberRoleForm()},
    )


@console_view(ContextKind.SHOP, perm=Perm.MEMBERS_MANAGE)
@require_POST
def member_change_role(request, membership_id: int):
    run_form(
        request,
        MemberRoleForm(request.POST),
        lambda data: services.member_change_role(
            context=request.console, membership_id=membership_id, role=data["role"]
        ),
        success=_("角色已更新。"),
        invalid=_("请选择有效的角色。"),
    )
    return redirect("console:settings_members")


member_remove = console_view(ContextKind.SHOP, perm=Perm.MEMBERS_MANAGE)(
    button(
        services.member_remove,
        success=gettext_lazy("成员已移除。"),
        to="console:settings_members",
    )
)


@console_view(ContextKind.SHOP)
def api_tokens(request):
    """The user's own API tokens: list, create (the token is shown on this response
    only), revoke."""
    form, shown = create_once(
        request,
        bound_form(request, ApiTokenForm),
        lambda data: tokens.api_token_create(user=request.user, name=data["name"]),
        shown=lambda created: {"new_token": created[1], "new_expiry": created[0].expiry},
    )
    return render(
        request,
        "console/tokens.html",
        {
            "form": form,
            "tokens": tokens.api_token_list(user=request.user),
            "ttl_days": knox_settings.TOKEN_TTL.days,
            **shown,
        },
    )


@console_view(ContextKind.SHOP)
@require_POST
def api_token_revoke(request, token_id: str):
    tokens.api_token_revoke(user=request.user, token_key=token_id)
    messages.success(request, _("令牌已撤销。"))
    return redirect("console:settings_tokens")


@console_view(ContextKind.CREATOR)
@require_POST
def creator_profile(request):
    context = request.console
    form = CreatorProfileForm(request.POST, instance=copy(context.creator))
    if form.is_valid():
        services.creator_update_profile(creator=context.creator, data=form.cleaned_data)
        messages.success(request, _("资料已保存。"))
        return redirect("console:home")
    return render(
        request,
        "console/creator_home.html",
        {
            "cards": cards_for(context),
            "eligibility": creator_eligibility(context.creator),
            "form": form,
        },
    )


@console_view(ContextKind.CREATOR)
@require_POST
def creator_recheck(request):
    ran, result = run_service(
        request, lambda: services.creator_refresh_account(creator=request.console.creator)
    )
    if not ran:
        return redirect("console:home")
    if result.eligible:
        messages.success(request, _("检测通过，已开通商品分享（购物车）权限。"))
    else:
        messages.warning(
            request, _("检测未通过：还有 %(n)s 项条件未满足。") % {"n": len(result.unmet)}
        )
    return redirect("console:home")
