"""Security headers, the admin's Content-Security-Policy, and sign-in lock-out helpers.

Django's SecurityMiddleware already sends Strict-Transport-Security,
X-Content-Type-Options, Referrer-Policy and Cross-Origin-Opener-Policy; this module adds
what Django does not: Permissions-Policy, and a Content-Security-Policy (django-csp)
that is strict on the public site and looser in the Wagtail admin only. The settings
are in cms/settings/base.py; docs/security.md explains each header.
"""

import hashlib
import re
from base64 import b64encode
from functools import cache
from pathlib import Path

from axes.helpers import get_cool_off
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.shortcuts import render
from django.urls import reverse

PERMISSIONS_POLICY_HEADER = "Permissions-Policy"
# The layout of the error pages (500.html, 503.html), which carries its own inline
# style (see error_page_style_hashes).
SERVER_ERROR_TEMPLATES = ("error_page.html",)
# A <style> element, as written in a template: its text is what a CSP hash covers.
STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def permissions_policy(features):
    """The Permissions-Policy header value that turns every named feature off."""
    return ", ".join(f"{feature}=()" for feature in features)


class PermissionsPolicyMiddleware:
    """Send Permissions-Policy on every response, cached or not.

    The site uses no camera, microphone, location or similar browser feature, so they
    are all turned off: neither our pages nor anything embedded in them can ask for them.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = permissions_policy(settings.SMOP_PERMISSIONS_POLICY_DISABLED)

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault(PERMISSIONS_POLICY_HEADER, self.value)
        return response


@cache
def admin_path_prefix():
    return reverse("wagtailadmin_home")


def is_admin_request(request):
    return request.path_info.startswith(admin_path_prefix())


@cache
def error_page_style_hashes():
    """CSP hashes of the inline <style> elements of the 500 and 503 pages.

    Those pages are rendered without the database or static files, so their look is a
    few inline rules; hashing them (from the templates themselves, so an edit stays
    allowed) lets exactly those rules through, on server-error answers only.
    """
    hashes = []
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for name in SERVER_ERROR_TEMPLATES:
            path = Path(directory) / name
            if path.exists():
                hashes += [sha256_source(s) for s in STYLE_ELEMENT.findall(path.read_text())]
    return list(dict.fromkeys(hashes))


def sha256_source(text):
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{b64encode(digest).decode()}'"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware: the site's policy everywhere, a looser one in the admin.

    The public site has no inline script or style and no nonce, so a page taken from
    the full-page cache carries a valid policy. The Wagtail admin still writes inline
    scripts and styles, so under the admin's path only SMOP_ADMIN_CONTENT_SECURITY_POLICY
    applies instead: the admin is served to signed-in staff, not the public. Previews
    keep the strict policy: Wagtail renders them through the middleware as a request
    for the page's own URL, and the header set there is kept.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if parts.config is None and is_admin_request(request):
            parts.config = settings.SMOP_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        elif response.status_code >= 500:
            parts.update = {**(parts.update or {}), "style-src": error_page_style_hashes()}
        return parts


def client_ip_address(request):
    """The visitor's IP address, as the trusted proxies in front of the site saw it.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For; the entry TRUSTED_PROXY_COUNT places from the right is the
    visitor's. Anything further left was written by the client and may be forged. With
    no trusted proxy (or no header), the address of the connection itself is used.
    """
    count = settings.SMOP_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if count > 0 and addresses:
        return addresses[-min(count, len(addresses))]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of the sign-in form while a sign-in is locked out."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    context = {"cool_off_minutes": minutes, "login_url": reverse("wagtailadmin_login")}
    return render(request, "cms/lockout.html", context, status=429)
