"""Sending a stored file: by the front server when there is one, else streamed from Django's storage.

With X_ACCEL_MEDIA_PREFIX set (nginx in docker-compose.yml), a view answers with headers only and
`X-Accel-Redirect: <prefix><file name>`; nginx sends the file from its read-only copy of the media volume
(an `internal` location), so no gunicorn worker is held while a slow reader downloads. nginx then sends the file's
own validators (its time and size) and answers a conditional request for it itself. With S3-compatible storage
(`S3_BUCKET`) the reader is sent to a presigned address of the object, valid `S3_DOWNLOAD_SECONDS`, which carries
the file name and type for the object store to send back (its own validators too); `S3_DOWNLOADS_BY_REDIRECT=false`
streams it instead, where readers cannot reach the object store. Without either (the SQLite demo) the file is read
through the storage and streamed.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect


def content_disposition(*, filename: str, ascii_filename: str, inline: bool) -> str:
    """RFC 6266: the plain `filename` for user agents that know no other, then `filename*` with the real (Chinese)
    name in UTF-8, which every current browser prefers."""
    kind = "inline" if inline else "attachment"
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in ascii_filename)
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def stored_file_response(
    file: FieldFile, *, filename: str, ascii_filename: str, content_type: str, inline: bool = False
) -> HttpResponse:
    """`file` offered under `filename` (`ascii_filename` for old user agents): opened in the browser when `inline`,
    else downloaded."""
    prefix = settings.X_ACCEL_MEDIA_PREFIX
    disposition = content_disposition(filename=filename, ascii_filename=ascii_filename, inline=inline)
    if prefix and isinstance(file.storage, FileSystemStorage):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(file.name)
    elif settings.S3_DOWNLOADS_BY_REDIRECT and _presigns(file):
        parameters = {"ResponseContentDisposition": disposition, "ResponseContentType": content_type}
        url = file.storage.url(file.name, parameters=parameters, expire=settings.S3_DOWNLOAD_SECONDS)
        response = HttpResponseRedirect(url)
        # The address expires: no copy of the redirect may outlive it.
        response["Cache-Control"] = "no-store"
        return response
    else:
        response = FileResponse(file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = disposition
    return response


def _presigns(file: FieldFile) -> bool:
    """Storage whose `url` is a presigned address of the object (django-storages' S3 with querystring_auth)."""
    return getattr(file.storage, "querystring_auth", False) and hasattr(file.storage, "bucket_name")
