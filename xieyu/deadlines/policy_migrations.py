"""What a domain's data migration calls to put its deadline policies in place (and take them out on the way back).

    POLICIES = {"teams.check_expiry": (description, first response, resolution, due soon, escalation step, chain)}
    create, remove = policy_operations(POLICIES)

Amounts are (n, unit) tuples; the first response may be None. It reads the historical model through `apps`, so it
stays valid for every migration that uses it; an existing policy of the same name is left as the county set it.
"""

from __future__ import annotations

from decimal import Decimal


def policy_operations(policies: dict):
    def create(apps, schema_editor):
        DeadlinePolicy = apps.get_model("deadlines", "DeadlinePolicy")
        for name, (description, first, resolution, soon, step, chain) in policies.items():
            DeadlinePolicy.objects.get_or_create(
                name=name,
                defaults={
                    "description": description,
                    "first_response_amount": Decimal(first[0]) if first else None,
                    "first_response_unit": first[1] if first else "days",
                    "resolution_amount": Decimal(resolution[0]),
                    "resolution_unit": resolution[1],
                    "due_soon_amount": Decimal(soon[0]),
                    "due_soon_unit": soon[1],
                    "escalation_step_amount": Decimal(step[0]),
                    "escalation_step_unit": step[1],
                    "escalation_chain": chain,
                },
            )

    def remove(apps, schema_editor):
        apps.get_model("deadlines", "DeadlinePolicy").objects.filter(name__in=list(policies)).delete()

    return create, remove
