"""ChatEngine: plans a chat completion (text, finish reason, usage) and streams it as SSE.

Planning is instant and deterministic; the token rate and time to first token are applied
while sending (``Timings``), so a stream at 60 tokens/s looks like a real model.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from xerotui.api.schema import (
    ChatChoice,
    ChatChunk,
    ChatCompletion,
    ChatMessage,
    ChatRequest,
    ChunkChoice,
    ChunkDelta,
    CompletionTokensDetails,
    PromptTokensDetails,
    Usage,
)
from xerotui.sandbox.generate import TextGenerator, count_tokens, tokenize
from xerotui.sandbox.prefix_cache import PrefixCache
from xerotui.sandbox.timings import Timings

DEFAULT_TEMPERATURE = 0.7  # the documented server default
PACE_SLACK = 0.004  # sleep only when ahead of the token schedule by this much


@dataclass
class Plan:
    """A completion decided before the first byte is sent."""

    id: str
    created: int
    model: str
    text: str
    tokens: list[str]
    finish_reason: str
    usage: Usage
    reasoning_tokens: int
    messages: list[dict[str, Any]]

    def completion(self) -> ChatCompletion:
        message = ChatMessage(role="assistant", content=self.text)
        choice = ChatChoice(index=0, message=message, finish_reason=self.finish_reason)
        return ChatCompletion(
            id=self.id,
            created=self.created,
            model=self.model,
            choices=[choice],
            usage=self.usage,
        )


def sse(data: dict[str, Any] | str) -> bytes:
    payload = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    return f"data: {payload}\n\n".encode()


class ChatEngine:
    def __init__(self, prefix: PrefixCache, generator: TextGenerator | None = None) -> None:
        self.prefix = prefix
        self.generator = generator or TextGenerator()

    def plan(
        self,
        request: ChatRequest,
        *,
        model: str,
        reasoning: bool,
        scope: str,
        min_tokens: int = 0,
    ) -> Plan:
        messages = [(m.role, m.content or "") for m in request.messages]
        convo = hashlib.sha256(json.dumps(messages).encode()).hexdigest()
        last_user = next((c for r, c in reversed(messages) if r == "user"), messages[-1][1])
        text = self.generator.compose(
            last_user,
            f"{convo}:{self._variant(request)}",
            reasoning=reasoning,
            min_tokens=min_tokens,
        )
        finish = "stop"
        stops = [request.stop] if isinstance(request.stop, str) else list(request.stop or [])
        cuts = [text.find(s) for s in stops if s and s in text]
        if cuts:
            text = text[: min(cuts)]
        tokens = tokenize(text)
        limit = request.max_completion_tokens or request.max_tokens
        if limit is not None and len(tokens) > limit:
            tokens = tokens[:limit]
            text = "".join(tokens)
            finish = "length"
        per_message = [count_tokens(content) + 4 for _, content in messages]
        prompt_tokens = sum(per_message) + 2
        seen = self.prefix.cached_messages(scope, messages)
        cached = sum(per_message[:seen])
        self.prefix.remember(scope, messages)
        self.prefix.remember(scope, [*messages, ("assistant", text)])
        reasoning_tokens = 24 + int(convo[:4], 16) % 90 if reasoning else 0
        completion_tokens = len(tokens) + reasoning_tokens
        usage = Usage(
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=prompt_tokens + completion_tokens,
            prompt_tokens_details=PromptTokensDetails(cached_tokens=cached),
            completion_tokens_details=CompletionTokensDetails(reasoning_tokens=reasoning_tokens),
        )
        return Plan(
            id=f"chatcmpl-{secrets.token_hex(12)}",
            created=int(time.time()),
            model=model,
            text=text,
            tokens=tokens,
            finish_reason=finish,
            usage=usage,
            reasoning_tokens=reasoning_tokens,
            messages=[{"role": r, "content": c} for r, c in messages],
        )

    @staticmethod
    def _variant(request: ChatRequest) -> str:
        """Which of the answers to this conversation: fixed unless sampling is random."""
        temperature = DEFAULT_TEMPERATURE if request.temperature is None else request.temperature
        if request.seed is not None:
            return f"seed={request.seed};t={temperature:.2f}" if temperature else "t0"
        if temperature == 0:
            return "t0"
        return secrets.token_hex(8)

    @staticmethod
    def duration(plan: Plan, timings: Timings) -> float:
        """Seconds a non-streamed answer takes: first token, thinking, then the tokens."""
        rate = timings.tokens_per_second
        return timings.first_token_ms / 1000 + (plan.reasoning_tokens + len(plan.tokens)) / rate

    async def stream(
        self,
        plan: Plan,
        timings: Timings,
        *,
        include_usage: bool,
        cut_after: int | None,
        on_complete: Callable[[], None] | None = None,
    ) -> AsyncIterator[bytes]:
        """SSE events: role chunk, one chunk per token, finish chunk, usage chunk, [DONE]."""
        rate = timings.tokens_per_second
        await asyncio.sleep(timings.first_token_ms / 1000 + plan.reasoning_tokens / rate)
        yield sse(self._chunk(plan, ChunkDelta(role="assistant", content="")))
        loop = asyncio.get_running_loop()
        start = loop.time()
        for index, token in enumerate(plan.tokens):
            if cut_after is not None and index >= cut_after:
                yield sse(self._cut_error(index))
                return
            ahead = start + index / rate - loop.time()
            if ahead > PACE_SLACK:
                await asyncio.sleep(ahead)
            yield sse(self._chunk(plan, ChunkDelta(content=token)))
        yield sse(self._chunk(plan, ChunkDelta(), finish_reason=plan.finish_reason))
        if include_usage:
            chunk = ChatChunk(id=plan.id, created=plan.created, model=plan.model, usage=plan.usage)
            yield sse(chunk.stream_json())
        if on_complete is not None:
            on_complete()
        yield sse("[DONE]")

    @staticmethod
    def _chunk(plan: Plan, delta: ChunkDelta, finish_reason: str | None = None) -> dict[str, Any]:
        choice = ChunkChoice(index=0, delta=delta, finish_reason=finish_reason)
        chunk = ChatChunk(id=plan.id, created=plan.created, model=plan.model, choices=[choice])
        return chunk.stream_json()

    @staticmethod
    def _cut_error(index: int) -> dict[str, Any]:
        return {
            "error": {
                "message": f"Stream interrupted: the worker stopped responding after {index} "
                "tokens",
                "type": "stream_error",
                "code": "internal_error",
            }
        }
