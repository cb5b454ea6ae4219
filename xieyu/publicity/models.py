"""Every model of the publicity app, for Django (which loads an app's models from here). Each subdomain keeps its own:

- articles/models.py: articles, their versions, review steps (三审) and attachments;
- column/models.py: pushes of an article to guardians (each a notice);
- gaokao/models.py: the county's table of majors and the subjects they require (3+1+2);
- cases/models.py: typical cases and their library.
"""

from .articles.models import Article, ArticleAttachment, ArticleReview, ArticleVersion, Category
from .cases.models import Case, CasePhoto
from .column.models import ArticlePush
from .gaokao.models import MajorRequirement

__all__ = [
    "Article", "ArticleAttachment", "ArticlePush", "ArticleReview", "ArticleVersion", "Case", "CasePhoto", "Category",
    "MajorRequirement",
]  # fmt: skip
