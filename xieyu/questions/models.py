"""Every model of the questions app, for Django (which loads an app's models from here). Each subdomain keeps its own:

- asking/models.py: questions, their thread, experts' skills, the urgent lexicon, alerts, question keywords;
- knowledge/models.py: knowledge-base articles and the search index;
- topics/models.py: topic requests (点单) and votes;
- clinics/models.py: clinic slots and bookings.
"""

from .asking.models import Alert, Category, ExpertSkill, Level, Message, Question, QuestionTerm, UrgentTerm
from .clinics.models import ClinicBooking, ClinicSlot
from .knowledge.models import Article, DocKind, IndexStat, Posting, TermStat
from .topics.models import TopicRequest, TopicVote

__all__ = [
    "Alert",
    "Article",
    "Category",
    "ClinicBooking",
    "ClinicSlot",
    "DocKind",
    "ExpertSkill",
    "IndexStat",
    "Level",
    "Message",
    "Posting",
    "Question",
    "QuestionTerm",
    "TermStat",
    "TopicRequest",
    "TopicVote",
    "UrgentTerm",
]
