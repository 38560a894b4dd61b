"""Sending a stored file: by the front server when there is one, else streamed from Django's storage.

With X_ACCEL_MEDIA_PREFIX set (nginx in docker-compose.yml), a view answers with headers only and
`X-Accel-Redirect: <prefix><file name>`; nginx sends the file from its read-only copy of the media volume
(an `internal` location), so no gunicorn worker is held while a slow reader downloads. Without it (the SQLite
demo, S3-compatible storage) the file is read through the storage and streamed.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def stored_file_response(file: FieldFile, *, filename: str, content_type: str) -> HttpResponse:
    """A download of `file`, offered under `filename`."""
    prefix = settings.X_ACCEL_MEDIA_PREFIX
    if prefix and isinstance(file.storage, FileSystemStorage):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(file.name)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    return FileResponse(file.open("rb"), content_type=content_type, as_attachment=True, filename=filename)
