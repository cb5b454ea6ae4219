"""Print the demo logins (the named cast) as a table; `serve` calls it in demo mode."""

from django.core.management.base import BaseCommand

from xieyu.demo.county import logins_table


class Command(BaseCommand):
    help = "Print the demo county's logins (phone, name, role, password)."

    def handle(self, *args, **options):
        self.stdout.write("Demo logins (the demo county, 全南县):")
        self.stdout.write(logins_table())
