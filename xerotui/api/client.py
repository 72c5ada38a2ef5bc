"""XeroClient: the one async client of the Xerotier model-management and chat APIs.

It owns one ``httpx.AsyncClient``. Every request goes through :meth:`XeroClient._send`:
arguments checked (:mod:`xerotui.api.outgoing`), the mode's guard (dry run, read-only:
:mod:`xerotui.api.guard`), bearer header, timeouts, and the dead-connection rule with
transport failures mapped to :mod:`xerotui.api.errors` (:mod:`xerotui.api.exchange`). Plain
requests add retries of idempotent GETs and the request log in :meth:`XeroClient._request`;
the chat stream logs itself. Public methods return the typed objects of
:mod:`xerotui.api.schema` and raise only :class:`~xerotui.api.errors.XeroError` subclasses,
never httpx, pydantic, encoding or JSON exceptions.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from xerotui.api import schema as wire
from xerotui.api.chatstream import ChatStreamReader
from xerotui.api.errors import PlannedRequest, XeroError
from xerotui.api.exchange import Exchange, Trace
from xerotui.api.failures import decode_response, error_from_response
from xerotui.api.guard import Mode, RequestGuard
from xerotui.api.masking import curl_command, mask_key
from xerotui.api.outgoing import Outgoing, build, chat_path, json_bytes, prepare, wire_body
from xerotui.api.outgoing import path_segment as seg  # one escaped path segment
from xerotui.api.prefetch import USER_AGENT, Prefetch
from xerotui.api.prefetch_transport import client_transport
from xerotui.api.requestlog import RequestLog, RequestRecord
from xerotui.api.retry import RetryPolicy
from xerotui.api.urls import split_base_url

__all__ = ["XeroClient"]

W = TypeVar("W", bound=wire.Wire)
Sleep = Callable[[float], Awaitable[None]]
Query = dict[str, str | int | bool]
Params = Query | None
Body = dict[str, Any] | None

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
LIST_LIMIT_MAX = 100  # the server's ceiling for `limit` on GET /models


class XeroClient:
    """Async client of one project. Use ``async with XeroClient(...)`` or call :meth:`aclose`."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_attempts: int = 4,
        log: RequestLog | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        user_agent: str = USER_AGENT,
        sleep: Sleep = asyncio.sleep,
        prefetch: Prefetch | None = None,
        dry_run: bool = False,
        read_only: bool = False,
    ) -> None:
        self._root, self._project = split_base_url(base_url)
        key = api_key.strip()
        if not key.isascii() or not key.isprintable():
            raise ValueError("The API key contains characters that cannot be sent in a header")
        self._api_key = key
        self._masked = mask_key(key, self._project)
        self._guard = RequestGuard(dry_run=dry_run, read_only=read_only)
        self._retry = RetryPolicy(max_attempts=max_attempts)
        self._log = log if log is not None else RequestLog()
        self._sleep = sleep
        self._http = httpx.AsyncClient(
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            timeout=timeout,
            transport=client_transport(self._root, transport, prefetch),
            follow_redirects=False,
        )
        self._exchange = Exchange(self._http, self._host)

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> XeroClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # ------------------------------------------------------------------ properties

    @property
    def base_url(self) -> str:
        return f"{self._root}/{self._project}/v1"

    @property
    def root(self) -> str:
        """Scheme, host and any path prefix before ``/{project}/v1``."""
        return self._root

    @property
    def project(self) -> str:
        return self._project

    @property
    def api_key_masked(self) -> str:
        return self._masked

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    @property
    def log(self) -> RequestLog:
        return self._log

    @property
    def mode(self) -> Mode:
        """ "normal", "dry-run" (only reads are sent) or "read-only" (mutations refused)."""
        return self._guard.mode

    @property
    def retry(self) -> RetryPolicy:
        return self._retry

    def chat_url(self, slug: str) -> str:
        return self._url(chat_path(slug))

    def model_curl(self, model_id: str, *, reveal: bool = False) -> str:
        """`GET` of one extended model as a curl command, key masked unless `reveal`."""
        return self.curl("GET", f"/v1/models/{seg(model_id)}?extended=true", reveal=reveal)

    def curl(self, method: str, path: str, body: Body = None, *, reveal: bool = False) -> str:
        """The request as a curl command line; the key is masked unless ``reveal``."""
        if body is not None:
            json_bytes(body)  # InvalidRequestError for what JSON cannot carry
        key, project = self._api_key, self._project
        return curl_command(method, self._url(path), key, body, reveal=reveal, project=project)

    # ------------------------------------------------------------------ models

    async def list_models(
        self, limit: int = LIST_LIMIT_MAX, offset: int = 0, extended: bool = True
    ) -> wire.ModelList:
        params: Query = {"limit": limit, "offset": offset}
        if extended:
            params["extended"] = True
        return await self._call("GET", "/v1/models", wire.ModelList, params=params)

    async def iter_models(
        self, extended: bool = True, page_size: int = LIST_LIMIT_MAX
    ) -> AsyncGenerator[wire.ModelList, None]:
        """Every page in turn until ``has_more`` is false (or, without counters, a short page)."""
        offset = 0
        while True:
            page = await self.list_models(limit=page_size, offset=offset, extended=extended)
            if page.data or offset == 0:
                yield page
            if not page.data or page.has_more is False:
                return
            if page.has_more is None and len(page.data) < min(page_size, LIST_LIMIT_MAX):
                return
            offset += len(page.data)

    async def get_model(self, model_id: str, extended: bool = True) -> wire.Model:
        params: Query = {"extended": True} if extended else {}
        return await self._call("GET", f"/v1/models/{seg(model_id)}", wire.Model, params=params)

    async def update_model(self, model_id: str, update: wire.ModelUpdate) -> wire.Model:
        body = wire_body(update, update.patch_body)
        return await self._call("PATCH", f"/v1/models/{seg(model_id)}", wire.Model, body=body)

    async def delete_model(self, model_id: str) -> wire.DeleteResult:
        return await self._call("DELETE", f"/v1/models/{seg(model_id)}", wire.DeleteResult)

    async def revalidate_model(self, model_id: str) -> wire.RevalidateResult:
        path = f"/v1/models/{seg(model_id)}/revalidate"
        return await self._call("POST", path, wire.RevalidateResult)

    async def share_model(self, model_id: str) -> wire.CatalogInfo:
        return await self._call("POST", f"/v1/models/{seg(model_id)}/share", wire.CatalogInfo)

    async def unshare_model(self, model_id: str) -> wire.UnshareResult:
        return await self._call("POST", f"/v1/models/{seg(model_id)}/unshare", wire.UnshareResult)

    async def catalog_info(self, model_id: str) -> wire.CatalogInfo:
        return await self._call("GET", f"/v1/models/{seg(model_id)}/catalog-info", wire.CatalogInfo)

    async def list_versions(self, model_id: str) -> wire.VersionList:
        return await self._call("GET", f"/v1/models/{seg(model_id)}/versions", wire.VersionList)

    async def create_version(
        self, model_id: str, version: str, notes: str | None = None
    ) -> wire.ModelVersion:
        create = build(wire.VersionCreate, version=version, version_notes=notes)
        body = wire_body(create, create.wire)
        path = f"/v1/models/{seg(model_id)}/versions"
        return await self._call("POST", path, wire.ModelVersion, body=body)

    async def promote_version(self, model_id: str, version: str) -> wire.ModelVersion:
        path = f"/v1/models/{seg(model_id)}/versions/{seg(version, 'version')}/promote"
        return await self._call("POST", path, wire.ModelVersion)

    async def rollback_version(self, model_id: str, version: str) -> wire.ModelVersion:
        path = f"/v1/models/{seg(model_id)}/versions/{seg(version, 'version')}/rollback"
        return await self._call("POST", path, wire.ModelVersion)

    async def probe_model(self, model_id: str) -> wire.ProbeResult:
        return await self._call("GET", f"/v1/models/{seg(model_id)}/probe", wire.ProbeResult)

    async def set_capabilities(self, model_id: str, caps: list[str]) -> wire.Model:
        update = build(wire.CapabilitiesUpdate, capabilities=list(caps))
        body = wire_body(update, update.wire)
        path = f"/v1/models/{seg(model_id)}/capabilities"
        return await self._call("PATCH", path, wire.Model, body=body)

    async def recommendations(self, workspace_id: str) -> wire.RecommendationList:
        path = f"/v1/workspaces/{seg(workspace_id, 'workspace id')}/model-recommendations"
        return await self._call("GET", path, wire.RecommendationList)

    # ------------------------------------------------------------------ chat

    async def chat_completion(self, slug: str, request: wire.ChatRequest) -> wire.ChatCompletion:
        plain = request.model_copy(update={"stream": None, "stream_options": None})
        body = wire_body(plain, plain.wire)
        return await self._call("POST", chat_path(slug), wire.ChatCompletion, body=body)

    async def stream_chat(
        self, slug: str, request: wire.ChatRequest
    ) -> AsyncGenerator[wire.ChatChunk, None]:
        """Typed chunks as they arrive (forces ``stream`` and ``include_usage``); the last one
        carries ``usage``. An in-band error, a cut connection or an end without ``[DONE]``
        raise :class:`StreamInterruptedError` with ``partial_text``. Closing the generator or
        cancelling its consumer closes the response. Streams are never retried.
        """
        options = wire.StreamOptions(include_usage=True)
        streamed = request.model_copy(update={"stream": True, "stream_options": options})
        method, path = "POST", chat_path(slug)
        out = self._prepare(method, path, None, wire_body(streamed, streamed.wire))
        record = functools.partial(self._record, method, path, time.time(), time.perf_counter())
        try:
            response = await self._send(out, stream=True)
        except XeroError as exc:
            record(error=exc, streamed=True)
            raise
        except asyncio.CancelledError:
            record(streamed=True, cancelled=True)
            raise
        reader = ChatStreamReader(
            response, method=method, path=path, host=self._host, api_key=self._api_key
        )
        cancelled = False
        try:
            async with contextlib.aclosing(reader.chunks()) as chunks:
                async for chunk in chunks:
                    yield chunk
        except (GeneratorExit, asyncio.CancelledError):
            cancelled = True
            raise
        finally:
            await response.aclose()
            record(response=response, error=reader.error, streamed=True, cancelled=cancelled)

    # ------------------------------------------------------------------ stored completions

    async def list_stored_completions(
        self, slug: str, after: str | None = None, limit: int = 20, order: str = "desc"
    ) -> wire.StoredCompletionList:
        params: Query = {"limit": limit, "order": order}
        if after:
            params["after"] = after
        return await self._call("GET", chat_path(slug), wire.StoredCompletionList, params=params)

    async def get_stored_completion(self, slug: str, completion_id: str) -> wire.ChatCompletion:
        path = chat_path(slug, completion_id)
        return await self._call("GET", path, wire.ChatCompletion)

    async def delete_stored_completion(
        self, slug: str, completion_id: str
    ) -> wire.CompletionDeleted:
        path = chat_path(slug, completion_id)
        return await self._call("DELETE", path, wire.CompletionDeleted)

    async def list_endpoint_models(self, slug: str) -> wire.EndpointModelList:
        path = f"/{seg(slug, 'endpoint slug')}/v1/models"
        return await self._call("GET", path, wire.EndpointModelList)

    # ------------------------------------------------------------------ the choke point

    @property
    def _host(self) -> str:
        return urlsplit(self._root).netloc

    def _url(self, path: str) -> str:
        return f"{self._root}/{self._project}{path}"

    async def _send(self, out: Outgoing, stream: bool = False) -> httpx.Response:
        """The one way out: the mode's guard, auth header, timeouts, the dead-connection rule
        (:mod:`xerotui.api.exchange`); every failure is a XeroError."""
        self._guard.check(out.method, out.path, lambda: self._planned(out))
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        headers["Accept"] = "text/event-stream" if stream else "application/json"
        if out.content is not None:
            headers["Content-Type"] = "application/json"

        def build(trace: Trace) -> httpx.Request:
            request = self._http.build_request(
                out.method, out.url, content=out.content, headers=headers
            )
            request.extensions["trace"] = trace
            return request

        has_body = out.content is not None
        return await self._exchange.send(
            build, out.method, out.path, has_body=has_body, stream=stream
        )

    def _planned(self, out: Outgoing) -> PlannedRequest:
        url, key = str(out.url), self._api_key
        curl = curl_command(out.method, url, key, out.body, project=self._project)
        return PlannedRequest(out.method, url, out.body, curl)

    def _prepare(self, method: str, path: str, params: Params, body: Body) -> Outgoing:
        return prepare(method, path, self._url(path), params, body)

    async def _request(
        self, method: str, path: str, params: Params = None, body: Body = None
    ) -> httpx.Response:
        """A successful response, after retries for GETs; every attempt is logged."""
        out = self._prepare(method, path, params, body)
        attempts = self._retry.attempts_for(method)
        for attempt in range(1, attempts + 1):
            started, t0 = time.time(), time.perf_counter()
            response: httpx.Response | None = None
            error: XeroError | None = None
            try:
                response = await self._send(out)
            except XeroError as exc:
                error = exc
            except asyncio.CancelledError:
                self._record(method, path, started, t0, params, attempt=attempt, cancelled=True)
                raise
            if response is not None and not response.is_success:
                error = error_from_response(response, method, path, self._api_key)
            self._record(method, path, started, t0, params, response, error, attempt)
            if error is None and response is not None:
                return response
            assert error is not None
            if attempt >= attempts or not self._retry.should_retry(error):
                raise error
            await self._sleep(self._retry.delay(attempt, error, response))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _call(
        self, method: str, path: str, model: type[W], *, params: Params = None, body: Body = None
    ) -> W:
        response = await self._request(method, path, params=params, body=body)
        return decode_response(response, model, method, path)

    # ------------------------------------------------------------------ the log

    def _record(
        self,
        method: str,
        path: str,
        started: float,
        t0: float,
        params: Params = None,
        response: httpx.Response | None = None,
        error: XeroError | None = None,
        attempt: int = 1,
        *,
        streamed: bool = False,
        cancelled: bool = False,
    ) -> None:
        """Append one attempt to the request log (the key only ever masked)."""
        query = str(httpx.QueryParams(params)) if params else ""
        where = (started, t0, method, path, self._url(path), query)
        self._log.append(
            RequestRecord.of_attempt(
                *where, response, error, attempt, streamed, cancelled, key_masked=self._masked
            )
        )
