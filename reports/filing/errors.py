"""The one error type of the report's services and actions: a refusal with a message fit to show the user."""


class FilingError(Exception):
    """A request the portal refuses, with a message fit to show the user."""


class SectionConflict(FilingError):
    """Someone else saved the section after this user opened it."""
