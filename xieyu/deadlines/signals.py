"""Signals the deadline engine sends after its transaction commits (the notices module delivers them in-app).

deadline_due_soon: sender=Deadline, deadline, user_ids, due_kind ("first_response" | "resolution"), due (datetime)
deadline_escalated: sender=Deadline, deadline, level (position in the chain), role ("owner", "head_teacher",
    "school_admin", "county_admin"), user_ids (only people not told before about this deadline), due_kind, due

Each person is told once per deadline and level: the Escalation row (unique per deadline × level × user) is
written in the same transaction as the deadline's change, and only the sweep that won the row sends.
"""

from django.dispatch import Signal

deadline_due_soon = Signal()
deadline_escalated = Signal()
