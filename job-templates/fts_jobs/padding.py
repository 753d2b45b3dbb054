"""Choose a pad token the way the original's `configure_tokenizer_padding` did.

Works on any object with the Hugging Face tokenizer attributes (duck-typed, so
it is tested without transformers). Order:
1. keep an existing pad token that differs from EOS;
2. an explicitly requested pad token, only if it is in the vocabulary;
3. the UNK token, if it differs from EOS;
4. the first added token whose text contains "pad", else one containing "reserved";
5. (the original raised ValueError here) fall back to EOS. Training labels are
   built explicitly and padding is masked with -100, so the real EOS at the end
   of each example is still learnt.
Returns a sentence saying what was chosen, for the job log.
"""

from __future__ import annotations

from typing import Optional


class PaddingError(ValueError):
    pass


def _added_tokens(tokenizer):
    try:
        vocab = tokenizer.get_added_vocab()
    except Exception:
        return []
    return [token for token, _ in sorted(vocab.items(), key=lambda item: item[1])]


def configure_tokenizer_padding(tokenizer, pad_token: Optional[str] = None) -> str:
    eos = getattr(tokenizer, "eos_token", None)
    current = getattr(tokenizer, "pad_token", None)
    if current is not None and current != eos:
        return f"pad token: kept {current!r}"
    if pad_token is not None:
        if pad_token not in tokenizer.get_vocab():
            raise PaddingError(f"the requested pad token {pad_token!r} is not in the tokenizer's vocabulary")
        tokenizer.pad_token = pad_token
        return f"pad token: requested {pad_token!r}"
    unk = getattr(tokenizer, "unk_token", None)
    if unk is not None and unk != eos:
        tokenizer.pad_token = unk
        return f"pad token: using the UNK token {unk!r}"
    added = _added_tokens(tokenizer)
    for needle in ("pad", "reserved"):
        for token in added:
            if needle in token.lower():
                tokenizer.pad_token = token
                return f"pad token: using the added token {token!r}"
    if eos is None:
        raise PaddingError("the tokenizer has no pad, UNK or EOS token to pad with")
    tokenizer.pad_token = eos
    return f"pad token: falling back to the EOS token {eos!r}"
