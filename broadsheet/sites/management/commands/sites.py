"""`manage.py sites add NAME HOST...` and `manage.py sites list`: the sites that may embed."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.core.errors import BroadsheetError
from broadsheet.sites.models import Site
from broadsheet.sites.page_keys import TrailingSlash
from broadsheet.sites.services import site_create


class Command(BaseCommand):
    help = "Lists the sites allowed to embed the discussion, or adds one with its domains."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Add a site and its domains.")
        add.add_argument("name")
        add.add_argument("hosts", nargs="+", help="blog.example.com, localhost:8080, ...")
        add.add_argument(
            "--trailing-slash", choices=[t.value for t in TrailingSlash], default="keep"
        )
        actions.add_parser("list", help="List the sites and their domains.")

    def handle(self, *args, **options) -> None:
        if options["action"] == "add":
            try:
                site = site_create(
                    name=options["name"],
                    hosts=options["hosts"],
                    trailing_slash=options["trailing_slash"],
                )
            except BroadsheetError as error:
                raise CommandError(error.message) from None
            self.stdout.write(f"Added site {site.pk}: {site.name}")
            return
        for site in Site.objects.prefetch_related("domains").order_by("pk"):
            hosts = ", ".join(d.host for d in site.domains.all())
            state = "" if site.active else " (inactive)"
            self.stdout.write(f"{site.pk}\t{site.name}{state}\t{hosts}\t{site.trailing_slash}")
