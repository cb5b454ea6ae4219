from django.db import migrations

from xieyu.deadlines.policy_migrations import policy_operations

# name: (description, first response, resolution, due soon, escalation step, chain); amounts as (n, unit)
POLICIES = {
    "surveys.wave": (
        "A questionnaire wave closes at the time its opener set (each wave gives its own working time): the one who "
        "opened it is told as the close nears, to remind the families who have not answered.",
        None, (5, "days"), (1, "days"), (1, "days"), ["owner"],
    ),
}

create, remove = policy_operations(POLICIES)


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0001_initial"),
        ("deadlines", "0005_deadline_agency"),
    ]

    operations = [migrations.RunPython(create, remove)]
