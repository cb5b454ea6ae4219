"""Check a closed vote's tally: re-compute the ballots' hash chain and the votes per nominee.

    manage.py verify_tally <campaign id>            # the ballots stored in the database
    manage.py verify_tally <campaign id> FILE       # a downloaded list of ballots (.json or .csv)

Either way the result is compared with the tally published at close. Exits with status 1 when it does not hold.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from xieyu.awards.models import Campaign, Tally
from xieyu.awards.votes import chain
from xieyu.awards.votes.services import tally_verify


def rows_from_file(path: Path) -> list[chain.Row]:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        items = json.loads(text)["ballots"]
    else:
        items = list(csv.DictReader(text.splitlines()))
    return [chain.Row(int(i["sequence"]), int(i["nomination"]), str(i["nonce"]), str(i["prev_hash"]), str(i["hash"]))
            for i in items]  # fmt: skip


class Command(BaseCommand):
    help = "Re-compute a closed vote's ballot chain and counts, from the database or a downloaded file."

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int)
        parser.add_argument("file", nargs="?")

    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(pk=options["campaign"]).first()
        if campaign is None:
            raise CommandError(_("No campaign has that id."))
        if options["file"]:
            path = Path(options["file"])
            try:
                rows = rows_from_file(path)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise CommandError(
                    _("The file cannot be read as a list of ballots: %(error)s") % {"error": exc}
                ) from exc
            tally = Tally.objects.filter(campaign=campaign).first()
            verdict = chain.verify(
                campaign.pk, campaign.title, rows,
                published_counts={int(k): v for k, v in tally.counts.items()} if tally else None,
                published_ballots=tally.ballots if tally else None,
                published_head=tally.head_hash if tally else None,
            )  # fmt: skip
        else:
            verdict = tally_verify(campaign)
        self.stdout.write(
            _("Ballots: %(n)s; last hash: %(head)s") % {"n": verdict.ballots, "head": verdict.head_hash or "—"}
        )
        if verdict.ok:
            self.stdout.write(_("The tally checks out: every ballot links to the one before it, and the counts match."))
            return
        for problem in verdict.problems:
            self.stdout.write(problem)
        sys.exit(1)
