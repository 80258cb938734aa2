"""An optional provider that rewords the statistical insights (an OpenAI-compatible
``/chat/completions`` endpoint set in configuration).

The statistics are the substance and stand on their own: with no provider configured, or
when it fails, answers late, or answers something unusable, the statistical text is kept.
The provider is asked to keep every number, and its answer is used only if it does.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass

import httpx

log = logging.getLogger("growlink.insights")
TIMEOUT_SECONDS = 10.0
PROMPT = (
    "Reword these habit statistics as a warm, brief coach would, in the second person. Keep "
    "every number exactly as written and add no claim the statistics do not make."
)


@dataclass(frozen=True)
class WordingProvider:
    url: str
    """Base URL, e.g. http://127.0.0.1:8080/v1 (``/chat/completions`` is appended)."""
    model: str
    api_key: str | None = None

    @classmethod
    def from_env(cls) -> WordingProvider | None:
        """``GROWLINK_INSIGHTS_URL`` (unset: no provider), ``GROWLINK_INSIGHTS_MODEL``,
        ``GROWLINK_INSIGHTS_API_KEY``."""
        url = os.environ.get("GROWLINK_INSIGHTS_URL")
        if not url:
            return None
        model = os.environ.get("GROWLINK_INSIGHTS_MODEL") or "default"
        return cls(url.rstrip("/"), model, os.environ.get("GROWLINK_INSIGHTS_API_KEY") or None)


def numbers_in(text: str) -> list[str]:
    return sorted(re.findall(r"\d+(?:\.\d+)?", text))


async def reworded(text: str, provider: WordingProvider | None) -> str:
    """The provider's wording of ``text`` if it keeps every number, else ``text`` itself."""
    if provider is None:
        return text
    headers = {"Authorization": f"Bearer {provider.api_key}"} if provider.api_key else {}
    body = {
        "model": provider.model,
        "messages": [{"role": "system", "content": PROMPT}, {"role": "user", "content": text}],
    }
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
            response = await client.post(
                f"{provider.url}/chat/completions", json=body, headers=headers
            )
            response.raise_for_status()
            answer = response.json()["choices"][0]["message"]["content"]
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
        log.warning("insight wording provider failed, keeping the statistics: %s", exc)
        return text
    if not isinstance(answer, str) or numbers_in(answer) != numbers_in(text):
        log.warning("insight wording provider changed the numbers; keeping the statistics")
        return text
    return answer.strip()
