"""The clocks of care work, on the deadline engine:

- care.review: a registered child's periodic review (each semester by default: about 100 working days);
- care.referral: a partner agency accepts a referral within 3 working days and acts on it within 20; overdue, the
  agency's staff are told, then the county;
- care.rights: a guardian's correction or deletion request is answered within 10 working days (the school admin,
  then the county).
"""

from django.db import migrations

from xieyu.deadlines.policy_migrations import policy_operations

# name: (description, first response, resolution, due soon, escalation step, chain); amounts as (n, unit)
POLICIES = {
    "care.review": (
        "A registered child's review, each semester: due within 100 working days, else escalated.",
        None, (100, "days"), (5, "days"), (5, "days"), ["owner", "school_admin", "county_admin"],
    ),
    "care.referral": (
        "A referral to a partner agency: accepted within 3 working days, acted on within 20.",
        (3, "days"), (20, "days"), (1, "days"), (2, "days"), ["agency", "county_admin"],
    ),
    "care.rights": (
        "A guardian's request to correct or delete their child's record: answered within 10 working days.",
        None, (10, "days"), (2, "days"), (2, "days"), ["school_admin", "county_admin"],
    ),
}


create, remove = policy_operations(POLICIES)


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial"), ("deadlines", "0005_deadline_agency")]

    operations = [migrations.RunPython(create, remove)]
