"""Signals the directory sends for the apps above it.

student_moved_school: sent inside a transfer's transaction when a student moves to another school (sender Student;
    student, from_school_id, to_school_id). Apps that keep a child's school on their own records (care's registry
    and cases, whose scopes filter by it) follow the child there.
"""

from django.dispatch import Signal

student_moved_school = Signal()
