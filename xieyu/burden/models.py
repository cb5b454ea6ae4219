"""Every model of the burden app, for Django (which loads an app's models from here). Each subdomain keeps its own:

- diary/models.py: the rotating sample, the requests sent to families and the one-minute diaries they answer;
- watch/models.py: per class and week rollups of the diaries and the flags raised on a class;
- reports/models.py: families' 双减 reports (asked to grade homework, tutoring pushed, homework by phone);
- afterschool/models.py: each school's weekly after-school service (课后服务) schedule and the county's settings;
- visits/models.py: home visit (家访) plans, visits, follow-ups and the minutes of 双减 meetings.
"""

from .afterschool.models import AfterschoolSchedule, AfterschoolSetting
from .diary.models import Diary, DiaryOptOut, DiaryRequest, DiarySamplingDay
from .reports.models import BurdenReport
from .visits.models import HomeVisit, MeetingMinutes, PlannedVisit, VisitCoverage, VisitFollowUp
from .watch.models import BurdenFlag, WeekRollup

__all__ = ["AfterschoolSchedule", "AfterschoolSetting", "BurdenFlag", "BurdenReport"]
__all__ += ["Diary", "DiaryOptOut", "DiaryRequest", "DiarySamplingDay", "WeekRollup"]
__all__ += ["HomeVisit", "MeetingMinutes", "PlannedVisit", "VisitCoverage", "VisitFollowUp"]
