"""Every model of the teams app, for Django (which loads an app's models from here). Each subdomain keeps its own:

- members/models.py: the four teams (and schools' teacher teams), members, skills, availability, certificates, and
  the background checks (入职查询) that work with children needs;
- dispatch/models.py: needs and the assignments of members to them;
- hours/models.py: service records (hours), their sign-off and disputes;
- talent/models.py: the parent talent pool (家长人才库);
- communities/models.py: communities' facilities (活动室, 篮球场, 书屋) and their opening times.
"""

from .communities.models import Facility
from .dispatch.models import Assignment, Need
from .hours.models import ServiceRecord, ServiceYear
from .members.models import Availability, BackgroundCheck, Certificate, Member, Skill, Team
from .talent.models import TalentInvitation, TalentProfile, TalentSlot

__all__ = ["Availability", "BackgroundCheck", "Certificate", "Member", "Skill", "Team"]
__all__ += ["Assignment", "Need"]
__all__ += ["ServiceRecord", "ServiceYear"]
__all__ += ["TalentInvitation", "TalentProfile", "TalentSlot"]
__all__ += ["Facility"]
