"""Every model of the committees app, for Django (which loads an app's models from here). Each subdomain keeps its
own:

- bodies/models.py: committees, members by term, charters and their versions, meetings, resolutions, action items;
- inquiries/models.py: inquiries (质询), co-signatures, answers, follow-ups; private teacher-ethics concerns;
- appraisals/models.py: the term appraisal (评议), responses, moderated comments, results.
"""

from .appraisals.models import (
    Appraisal,
    AppraisalAnswered,
    AppraisalClassRollup,
    AppraisalComment,
    AppraisalResponse,
)
from .bodies.models import ActionItem, Charter, CharterVersion, Committee, Meeting, Member, Resolution
from .inquiries.models import Answer, Concern, Inquiry, InquirySettings, InquiryTally, Pause, Round, Signature

__all__ = ["ActionItem", "Charter", "CharterVersion", "Committee", "Meeting", "Member", "Resolution"]
__all__ += ["Answer", "Concern", "Inquiry", "InquirySettings", "InquiryTally", "Pause", "Round", "Signature"]
__all__ += ["Appraisal", "AppraisalAnswered", "AppraisalClassRollup", "AppraisalComment", "AppraisalResponse"]
