"""The clock of a work-arrangement task, on the deadline engine: due on the date the task sets (each task passes
its own resolution time); five working days before, its owner is reminded; overdue, the owner, then the school's
admins, then the county's are told, three working days apart."""

from django.db import migrations

from xieyu.deadlines.policy_migrations import policy_operations

# name: (description, first response, resolution, due soon, escalation step, chain); amounts as (n, unit)
POLICIES = {
    "dashboard.task": (
        "A task of a work arrangement: done, with its evidence, by the date the arrangement sets.",
        None, (20, "days"), (5, "days"), (3, "days"), ["owner", "school_admin", "county_admin"],
    ),
}

create, remove = policy_operations(POLICIES)


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0002_leadership_resources"), ("deadlines", "0005_deadline_agency")]

    operations = [migrations.RunPython(create, remove)]
