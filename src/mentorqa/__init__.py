"""mentorqa: evidence, progress, costs, deadlines and reports for mentoring quality awards."""

__version__ = "0.1.0"
