"""TextGenerator: deterministic Markdown answers (paragraphs, a list, a fenced code block).

The text depends only on the conversation and a key (seed / temperature / nonce), so the
same prompt at temperature 0 always gives the same answer. ``tokenize`` splits text into
pieces that join back to exactly the text; one piece is one streamed token.

The answer quotes at most three words of the prompt, each cut to ``MAX_TOPIC_WORD``
characters, so its length does not depend on the prompt's (one 1 MB word used to come
back five times over: a 600,000-token answer). ``min_tokens`` extends it with further
sections, for long streams in benchmarks.
"""

from __future__ import annotations

import hashlib
import random
import re

TOKEN_RE = re.compile(r"\s*(?:[A-Za-z]{1,8}|\d{1,3}|[^\sA-Za-z\d])|\s+")
WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9+#-]*")
MAX_TOPIC_WORD = 24

STOPWORDS = frozenset((
    "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but",
    "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "explain",
    "few", "for", "from", "further", "give", "had", "has", "have", "having", "he", "her", "here",
    "hers", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more",
    "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other",
    "our", "out", "over", "own", "please", "same", "she", "should", "show", "so", "some", "such",
    "tell", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "write",
    "you", "your", "yours", "hello", "hi", "thanks", "make", "need", "want", "using", "use",
    "like", "get", "one", "two", "three",
))  # fmt: skip

OPENERS = (
    "Good question about {topic}.",
    "Here is a practical take on {topic}.",
    "Let's break {topic} down step by step.",
    "{Topic} comes up often, so here is a compact answer.",
    "Short version: {topic} is mostly about trade-offs.",
)
MIDDLES = (
    "The key idea is to keep the moving parts small and measure before optimising.",
    "Most of the difficulty comes from the edges, not from the happy path.",
    "It helps to separate what must be exact from what can be approximate.",
    "A good mental model is a pipeline: inputs, a transformation, and a checked output.",
    "In practice the simplest version that is correct wins over the clever one.",
    "Think about the failure modes first; the rest usually follows from them.",
)
LIST_INTROS = ("Key points:", "What to keep in mind:", "A quick checklist:", "In short:")
BULLETS = (
    "**Start small**: get one end-to-end example working before generalising.",
    "**Measure**: time the slow part instead of guessing where it is.",
    "**Be explicit**: name the inputs and outputs of each step.",
    "**Handle errors**: decide what happens on timeouts and partial results.",
    "**Cache wisely**: reuse results that are expensive and rarely change.",
    "**Test the edges**: empty input, huge input, and malformed input.",
    "**Document decisions**: write down why, not only what.",
    "**Keep it observable**: log request ids so issues can be traced.",
)
CLOSERS = (
    "If you share more detail about {topic}, I can tailor the example.",
    "That should be enough to get going with {topic}.",
    "Try the snippet above and adjust the names to your codebase.",
    "Happy to go deeper on any of these points.",
)
REASONING_NOTE = "I checked the assumptions before answering, so the steps above are ordered."

CODE: dict[str, tuple[str, ...]] = {
    "python": (
        'def {fn}(items: list[str]) -> dict[str, int]:\n    """Count each distinct item."""\n'
        "    counts: dict[str, int] = {{}}\n    for item in items:\n"
        "        counts[item] = counts.get(item, 0) + 1\n    return counts\n\n\n"
        'print({fn}(["{w1}", "{w2}", "{w1}"]))',
        "from dataclasses import dataclass\n\n\n@dataclass\nclass {cls}:\n    name: str\n"
        "    score: float = 0.0\n\n    def bump(self, by: float = 1.0) -> None:\n"
        '        self.score += by\n\n\nitem = {cls}("{w1}")\nitem.bump()\nprint(item)',
    ),
    "rust": (
        "fn {fn}(items: &[&str]) -> usize {{\n"
        "    items.iter().filter(|s| !s.is_empty()).count()\n"
        '}}\n\nfn main() {{\n    println!("{{}}", {fn}(&["{w1}", "", "{w2}"]));\n}}',
    ),
    "javascript": (
        "function {fnc}(items) {{\n  return items.reduce((acc, item) => {{\n"
        "    acc[item] = (acc[item] ?? 0) + 1;\n    return acc;\n  }}, {{}});\n}}\n\n"
        'console.log({fnc}(["{w1}", "{w2}", "{w1}"]));',
    ),
    "sql": (
        "SELECT {w1}, COUNT(*) AS total\nFROM events\n"
        "WHERE created_at >= now() - interval '7 days'\n"
        "GROUP BY {w1}\nORDER BY total DESC\nLIMIT 10;",
    ),
    "bash": ('for f in *.{w1}; do\n  echo "processing $f"\n  wc -l "$f"\ndone',),
}
LANGUAGE_HINTS = (
    ("rust", "rust"), ("javascript", "javascript"), ("typescript", "javascript"),
    ("node", "javascript"), ("sql", "sql"), ("query", "sql"), ("bash", "bash"),
    ("shell", "bash"),
)  # fmt: skip


def tokenize(text: str) -> list[str]:
    """Pieces that join back to ``text``: short words, digit groups, punctuation."""
    return TOKEN_RE.findall(text)


def count_tokens(text: str) -> int:
    return len(TOKEN_RE.findall(text))


def topic_of(prompt: str) -> str:
    words: list[str] = []
    for match in WORD_RE.finditer(prompt):
        lowered = match.group()[:MAX_TOPIC_WORD].lower()
        if len(lowered) > 2 and lowered not in STOPWORDS and lowered not in words:
            words.append(lowered)
        if len(words) == 3:
            break
    return " ".join(words) or "your question"


def _identifier(topic: str, fallback: str) -> str:
    parts = [re.sub(r"[^a-z0-9]", "", w) for w in topic.split()]
    parts = [p for p in parts if p and not p[0].isdigit()]
    return "_".join(parts[:2]) or fallback


class TextGenerator:
    """Builds an answer for a conversation; ``key`` selects among the variants."""

    def compose(
        self, prompt: str, key: str, *, reasoning: bool = False, min_tokens: int = 0
    ) -> str:
        digest = hashlib.sha256(f"{key}\x00{prompt}".encode()).digest()
        rng = random.Random(int.from_bytes(digest[:8], "big"))
        topic = topic_of(prompt)
        fmt = {"topic": topic, "Topic": topic[:1].upper() + topic[1:]}
        opener = rng.choice(OPENERS).format(**fmt)
        middle = " ".join(rng.sample(MIDDLES, 2))
        bullets = "\n".join(f"- {b}" for b in rng.sample(BULLETS, rng.randint(3, 5)))
        language = self._language(prompt)
        fn = _identifier(topic, "summarize") + "_counts"
        words = [*topic.split(), "alpha", "beta"]
        code = rng.choice(CODE[language]).format(
            fn=fn,
            fnc=re.sub(r"_(\w)", lambda m: m.group(1).upper(), fn),
            cls="".join(w.capitalize() for w in _identifier(topic, "item").split("_")),
            w1=re.sub(r"\W", "", words[0]) or "alpha",
            w2=re.sub(r"\W", "", words[1]) or "beta",
        )
        closer = rng.choice(CLOSERS).format(**fmt)
        parts = [
            f"{opener} {middle}",
            f"{rng.choice(LIST_INTROS)}\n\n{bullets}",
            f"For example:\n\n```{language}\n{code}\n```",
            closer if not reasoning else f"{REASONING_NOTE} {closer}",
        ]
        text = "\n\n".join(parts)
        if min_tokens:
            text += self._continuation(rng, min_tokens - count_tokens(text))
        return text

    @staticmethod
    def _continuation(rng: random.Random, tokens: int) -> str:
        """Further sections (a paragraph and a list each) of at least ``tokens`` tokens."""
        sections: list[str] = []
        total = 0
        while total < tokens + 8:  # a little over: tokens may merge where sections join
            bullets = "\n".join(f"- {b}" for b in rng.sample(BULLETS, rng.randint(2, 4)))
            section = f"\n\n{' '.join(rng.sample(MIDDLES, 2))}\n\n{bullets}"
            sections.append(section)
            total += count_tokens(section)
        return "".join(sections)

    @staticmethod
    def _language(prompt: str) -> str:
        lowered = prompt.lower()
        for hint, language in LANGUAGE_HINTS:
            if re.search(rf"\b{hint}\b", lowered):
                return language
        return "python"
