class TransferError(Exception):
    """A file or an import the portal refuses, with a message fit to show the user."""
