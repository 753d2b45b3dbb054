"""Chat-format rows: OpenAI's fine-tuning format, `{"messages": [{"role", "content"}, ...]}`.

The conversation is rendered with the base model's chat template (in the job:
`tokenizer.apply_chat_template`); only the assistant turns are trained. An
assistant turn's characters are located by rendering the conversation up to
it: it starts where `messages[:i]` rendered with the generation prompt ends,
and ends where `messages[:i + 1]` ends. The control plane's plan does the same
in Node (libs/domain/src/plan/chat.ts) with @huggingface/jinja.
"""

from __future__ import annotations

from typing import Any, Callable, List, Mapping, Optional, Sequence, Tuple

from .prompting import IGNORE_INDEX

MESSAGES = "messages"
ROLES = ("system", "user", "assistant", "tool", "developer")

Render = Callable[[List[Mapping[str, Any]], bool], str]


class ChatFormatError(ValueError):
    """A row is not a conversation, or the chat template cannot be used to locate the assistant turns."""


def messages_of(row: Mapping[str, Any]) -> List[Mapping[str, Any]]:
    messages = row.get(MESSAGES) if isinstance(row, Mapping) else None
    if not isinstance(messages, list) or not messages:
        raise ChatFormatError('a chat row needs "messages": a non-empty list of {"role", "content"}')
    for number, message in enumerate(messages):
        if not isinstance(message, Mapping) or message.get("role") not in ROLES:
            raise ChatFormatError(f'message {number} needs a "role" among {", ".join(ROLES)}')
        if not isinstance(message.get("content"), str) and message.get("content") is not None:
            raise ChatFormatError(f'message {number} needs a text "content"')
    if not any(m["role"] == "assistant" for m in messages):
        raise ChatFormatError("the conversation has no assistant turn to learn from")
    return list(messages)


def chat_text(render: Render, messages: Sequence[Mapping[str, Any]]) -> Tuple[str, List[Tuple[int, int]]]:
    """(the rendered conversation, character spans of its assistant turns)."""
    full = render(list(messages), False)
    spans: List[Tuple[int, int]] = []
    for index, message in enumerate(messages):
        if message["role"] != "assistant":
            continue
        before = render(list(messages[:index]), True) if index else ""
        upto = render(list(messages[: index + 1]), False)
        if not (full.startswith(before) and full.startswith(upto) and len(before) <= len(upto)):
            raise ChatFormatError("the chat template does not render a conversation's beginning as a prefix of it, "
                                  "so the assistant turns cannot be located")
        spans.append((len(before), len(upto)))
    return full, spans


def mask_chat_labels(input_ids: Sequence[int], offsets: Sequence[Sequence[int]],
                     spans: Sequence[Tuple[int, int]]) -> Optional[List[int]]:
    """Labels: a token is trained when its characters overlap an assistant turn; None when none is left."""
    labels = []
    for token_id, (start, end) in zip(input_ids, offsets):
        inside = any(end > a and start < b for a, b in spans) and end > start
        labels.append(token_id if inside else IGNORE_INDEX)
    if all(label == IGNORE_INDEX for label in labels):
        return None
    return labels


def jinja_render(template: str, messages: Sequence[Mapping[str, Any]], add_generation_prompt: bool,
                 **special_tokens: str) -> str:
    """What transformers' apply_chat_template(tokenize=False) renders, without transformers: a sandboxed
    jinja2 environment with trim_blocks, lstrip_blocks, loop controls, `tojson` and `raise_exception`."""
    import json

    from jinja2.exceptions import TemplateError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def raise_exception(message):
        raise TemplateError(message)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
    env.filters["tojson"] = lambda x, indent=None, ensure_ascii=False: json.dumps(x, indent=indent, ensure_ascii=ensure_ascii)
    env.globals["raise_exception"] = raise_exception
    return env.from_string(template).render(messages=list(messages), add_generation_prompt=add_generation_prompt,
                                            **special_tokens)
