"""The clocks of burden work, on the deadline engine:

- burden.report: a family's 双减 report (asked to grade homework, tutoring pushed by a teacher, homework by phone),
  handled by the county within 10 working days;
- visit.followup: a follow-up agreed on a home visit, done within the time its owner set (10 working days by
  default); overdue, the school admin is told.
"""

from django.db import migrations

from xieyu.deadlines.policy_migrations import policy_operations

# name: (description, first response, resolution, due soon, escalation step, chain); amounts as (n, unit)
POLICIES = {
    "burden.report": (
        "A family's double-reduction report: acknowledged within 3 working days, handled within 10, by the county.",
        (3, "days"), (10, "days"), (1, "days"), (2, "days"), ["owner", "county_admin"],
    ),
    "visit.followup": (
        "A follow-up agreed on a home visit: done within the time its owner set (10 working days by default).",
        None, (10, "days"), (2, "days"), (2, "days"), ["owner", "school_admin"],
    ),
}


create, remove = policy_operations(POLICIES)


class Migration(migrations.Migration):
    dependencies = [("burden", "0001_initial"), ("deadlines", "0005_deadline_agency")]

    operations = [migrations.RunPython(create, remove)]
