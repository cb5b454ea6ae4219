"""Every model of the care app, for Django (which loads an app's models from here). Each subdomain keeps its own:

- registry/models.py: the joint registry (建档立卡), its history, reviews and the carer survey;
- cases/models.py: cases, sections, shares, break-the-glass, approvals, services, follow-ups, flags, actions asked
  of a head teacher, mandatory reports;
- referrals/models.py: consent records, referrals and links for agencies without an account;
- rights/models.py: the guardian's correction and deletion requests;
- figures/models.py: the rollups the figures page reads.
"""

from .cases.models import (
    SENSITIVE_SECTIONS,
    Approval,
    BreakGlass,
    Case,
    CaseAction,
    CaseRequest,
    CaseSection,
    CaseService,
    CaseShare,
    Flag,
    FollowUp,
    MandatoryReport,
    Section,
    ServiceKind,
)
from .figures.models import CareRollup
from .referrals.models import CareCode, Consent, Referral, ReferralLink
from .registry.models import (
    AbsentParent,
    CarerSurvey,
    CarerType,
    Category,
    RegistryCategory,
    RegistryChange,
    RegistryEntry,
    RegistryReview,
    Source,
)
from .rights.models import RightsRequest

__all__ = [
    "SENSITIVE_SECTIONS",
    "AbsentParent",
    "Approval",
    "BreakGlass",
    "CareCode",
    "CareRollup",
    "CarerSurvey",
    "CarerType",
    "Case",
    "CaseAction",
    "CaseRequest",
    "CaseSection",
    "CaseService",
    "CaseShare",
    "Category",
    "Consent",
    "FollowUp",
    "Flag",
    "MandatoryReport",
    "Referral",
    "ReferralLink",
    "RegistryCategory",
    "RegistryChange",
    "RegistryEntry",
    "RegistryReview",
    "RightsRequest",
    "Section",
    "ServiceKind",
    "Source",
]
