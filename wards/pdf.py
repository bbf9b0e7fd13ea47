"""PDF of a printable page, made by WeasyPrint from the very HTML and CSS the browser prints.

WeasyPrint needs Pango (a system library). Where it is missing, the PDF link answers with a page
that says so and how to fix it (status 503), never a server error. Static files are read from
disk (the app's own CSS and fonts): WeasyPrint never fetches anything over the network.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def weasyprint_html():
    """WeasyPrint's ``HTML`` class, or ``None`` when it or a system library it needs is absent."""
    try:
        from weasyprint import HTML  # noqa: PLC0415 - loads Pango: only when a PDF is asked for
    except (ImportError, OSError) as exc:
        logger.warning("PDF unavailable: %s", exc)
        return None
    return HTML


def _static_path(url: str) -> Path | None:
    path = unquote(urlsplit(url).path)
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if not path.startswith(prefix):
        return None
    name = path[len(prefix) :]
    try:
        stored = Path(staticfiles_storage.path(name))
        if stored.is_file():
            return stored
    except NotImplementedError:
        pass
    found = finders.find(name)
    return Path(found) if found else None


def _local_fetcher():
    """A WeasyPrint fetcher that serves the page's static files from disk and refuses every
    other URL (a PDF never waits on the network)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_path(url)
            if path is None:
                raise ValueError(f"not fetched for a PDF: {url}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return LocalFetcher()


def pdf_response(
    request: HttpRequest, template_name: str, context: dict, filename: str
) -> HttpResponse:
    """The page ``template_name`` rendered as a PDF download (``filename`` without .pdf)."""
    html_class = weasyprint_html()
    if html_class is None:
        return render(request, "pdf_unavailable.html", status=503)
    html = render_to_string(template_name, {**context, "as_pdf": True}, request=request)
    document = html_class(
        string=html, base_url=request.build_absolute_uri("/"), url_fetcher=_local_fetcher()
    )
    response = HttpResponse(document.write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response
