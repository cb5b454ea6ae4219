"""Every model of the dashboard app, for Django (which loads an app's models from here). Each subdomain keeps its
own:

- figures/models.py: the stored, suppressed figures per metric, unit and period;
- leadership/models.py: leadership groups and their members by term, work arrangements, tasks and their evidence;
- resources/models.py: each school's yearly resource report and its budget lines.
"""

from .figures.models import Figure
from .leadership.models import LeadershipGroup, LeadershipMember, TaskEvidence, WorkPlan, WorkTask
from .resources.models import BudgetLine, ResourceReport

__all__ = ["BudgetLine", "Figure", "LeadershipGroup", "LeadershipMember", "ResourceReport", "TaskEvidence"]
__all__ += ["WorkPlan", "WorkTask"]
