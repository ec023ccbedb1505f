"""allauth's account adapter: its e-mails name the site and link to it as ours do."""

from allauth.account.adapter import DefaultAccountAdapter

from core.links import rebased_url, site_identity


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Send one of allauth's e-mails with ``current_site`` = SITE_NAME and the host
        of SITE_URL, and every link (``activate_url``, ``password_reset_url``,
        ``signup_url``…) on SITE_URL.

        Without the Sites framework allauth takes both from the request's host
        ("Bonjour, c'est 127.0.0.1:8101 !"), and builds its links from it too; the
        context given here wins over allauth's own ``current_site``.
        """
        context = {
            key: rebased_url(value) if key.endswith("_url") and isinstance(value, str) else value
            for key, value in context.items()
        }
        context["current_site"] = site_identity()
        super().send_mail(template_prefix, email, context)
