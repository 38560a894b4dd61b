"""What this app tells the floors above that keep copies of its rows (the public compliance board): a bulk import
creates agencies without Django's post_save, so it says which it created."""

from django.dispatch import Signal

# Sent with `agency_ids`, in the importing transaction.
agencies_imported = Signal()
