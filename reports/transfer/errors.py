class TransferError(Exception):
    """A file or an import the portal refuses, with a message fit to show the user."""


class ImportHasWarnings(TransferError):
    """Publishing straight from a file is refused while its summary has warnings, unless forced."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__("；".join(warnings))
        self.warnings = warnings
