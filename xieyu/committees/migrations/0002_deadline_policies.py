"""The clocks of committee work, on the deadline engine (an inquiry's own clock is `inquiry.default`: acknowledged
within 3 working days, answered within 10):

- committee.action: an action item of a meeting's minutes, due on the date the minutes set (each item passes its
  own resolution time); overdue, the committee's chair is reminded, then the school admin;
- ethics.concern: a family's private teacher-ethics (师德师风) concern, answered within 10 working days by the
  school's discipline office, else the county.
"""

from django.db import migrations

from xieyu.deadlines.policy_migrations import policy_operations

# name: (description, first response, resolution, due soon, escalation step, chain); amounts as (n, unit)
POLICIES = {
    "committee.action": (
        "An action item of a committee meeting's minutes: done by the date the minutes set.",
        None, (10, "days"), (2, "days"), (2, "days"), ["owner", "school_admin"],
    ),
    "ethics.concern": (
        "A family's private teacher-ethics concern: acknowledged within 3 working days, answered within 10.",
        (3, "days"), (10, "days"), (1, "days"), (2, "days"), ["owner", "school_admin", "county_admin"],
    ),
}


create, remove = policy_operations(POLICIES)


class Migration(migrations.Migration):
    dependencies = [("committees", "0001_initial"), ("deadlines", "0005_deadline_agency")]

    operations = [migrations.RunPython(create, remove)]
