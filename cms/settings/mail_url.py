"""Outgoing email settings from one URL, e.g. EMAIL_URL=smtp+tls://user:pass@host:587.

Schemes: `smtp` (plain, port 25), `smtp+tls` (STARTTLS, port 587), `smtps` or
`smtp+ssl` (TLS from the start, port 465), `console` (print emails, for trials).
User name and password are percent-decoded, so `@` in a password is written `%40`.
"""

from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"

# scheme: (default port, use STARTTLS, use implicit TLS)
SMTP_SCHEMES = {
    "smtp": (25, False, False),
    "smtp+tls": (587, True, False),
    "smtps": (465, False, True),
    "smtp+ssl": (465, False, True),
}


def email_settings_from_url(url):
    """Django's EMAIL_* settings for an EMAIL_URL; a bad URL stops start-up, naming it."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": CONSOLE_BACKEND}
    if scheme not in SMTP_SCHEMES:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with one of {', '.join(sorted(SMTP_SCHEMES))} or "
            f"console://, not '{scheme}://'."
        )
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL has no host name.")
    default_port, use_tls, use_ssl = SMTP_SCHEMES[scheme]
    return {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or default_port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }


def admin_base_url(configured, allowed_hosts):
    """The address notification emails link to, without a trailing slash.

    WAGTAILADMIN_BASE_URL when set; otherwise https:// and the first allowed host name,
    so a production site never sends links to a development address.
    """
    configured = (configured or "").strip().rstrip("/")
    if configured:
        parts = urlsplit(configured)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ImproperlyConfigured(
                f"WAGTAILADMIN_BASE_URL must be an http(s) address, e.g. "
                f"https://smopak.com, not '{configured}'."
            )
        return configured
    host = next((h.lstrip(".") for h in allowed_hosts if h.lstrip(".") not in {"", "*"}), "")
    if not host:
        raise ImproperlyConfigured(
            "Set WAGTAILADMIN_BASE_URL (e.g. https://smopak.com): emails link to the admin "
            "with it, and DJANGO_ALLOWED_HOSTS names no host to take it from."
        )
    return f"https://{host}"
