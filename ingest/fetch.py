"""Download a source's published file with httpx: timeouts, retries, written atomically."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlparse

import httpx

from groundwork.atomic import atomic_path

USER_AGENT = "breach-warehouse-ingest/0.1 (open-source analytics warehouse)"
TIMEOUT = httpx.Timeout(120.0, connect=15.0)
RETRIES = 3
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class DownloadError(RuntimeError):
    pass


def filename_for(url: str, response: httpx.Response | None = None) -> str:
    if response is not None:
        disposition = response.headers.get("content-disposition", "")
        if "filename=" in disposition:
            return disposition.split("filename=", 1)[1].strip('"; ') or "download"
    name = Path(urlparse(url).path).name
    return name or "download"


def download(url: str, dest_dir: Path, *, retries: int = RETRIES, backoff: float = 2.0) -> Path:
    """Stream ``url`` to ``dest_dir/<file name>``; retry transport errors and 429/5xx."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    last_error: Exception | None = None
    transport = httpx.HTTPTransport(retries=retries)
    headers = {"User-Agent": USER_AGENT}
    with httpx.Client(
        transport=transport, timeout=TIMEOUT, follow_redirects=True, headers=headers
    ) as client:
        for attempt in range(1, retries + 1):
            try:
                with client.stream("GET", url) as response:
                    if response.status_code in RETRY_STATUS:
                        raise DownloadError(f"{url}: HTTP {response.status_code}")
                    response.raise_for_status()
                    target = dest_dir / filename_for(url, response)
                    with atomic_path(target) as tmp, tmp.open("wb") as handle:
                        for chunk in response.iter_bytes(1 << 20):
                            handle.write(chunk)
                    return target
            except (httpx.TransportError, DownloadError) as exc:
                last_error = exc
                if attempt < retries:
                    time.sleep(backoff * attempt)
            except httpx.HTTPStatusError as exc:
                raise DownloadError(f"{url}: {exc}") from exc
    raise DownloadError(f"{url}: download failed after {retries} attempts: {last_error}")
