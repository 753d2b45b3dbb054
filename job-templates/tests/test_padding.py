import pytest

from fts_jobs.padding import PaddingError, configure_tokenizer_padding


class FakeTokenizer:
    def __init__(self, pad=None, eos="</s>", unk=None, added=None, vocab=None):
        self.pad_token, self.eos_token, self.unk_token = pad, eos, unk
        self._added = added or {}
        self._vocab = vocab or {}

    def get_added_vocab(self):
        return dict(self._added)

    def get_vocab(self):
        return dict(self._vocab)


def test_keeps_an_existing_pad_token_that_is_not_eos():
    tok = FakeTokenizer(pad="<pad>")
    assert "kept" in configure_tokenizer_padding(tok) and tok.pad_token == "<pad>"


def test_requested_pad_token_must_be_in_the_vocabulary():
    tok = FakeTokenizer(vocab={"<p>": 3})
    configure_tokenizer_padding(tok, pad_token="<p>")
    assert tok.pad_token == "<p>"
    with pytest.raises(PaddingError):
        configure_tokenizer_padding(FakeTokenizer(), pad_token="<missing>")


def test_unk_then_added_pad_then_reserved_then_eos():
    tok = FakeTokenizer(pad="</s>", unk="<unk>")
    configure_tokenizer_padding(tok)
    assert tok.pad_token == "<unk>"
    tok = FakeTokenizer(unk="</s>", added={"<|reserved_1|>": 10, "<|finetune_right_pad_id|>": 12})
    configure_tokenizer_padding(tok)
    assert tok.pad_token == "<|finetune_right_pad_id|>"
    tok = FakeTokenizer(added={"<|reserved_special_token_2|>": 11, "<|reserved_special_token_0|>": 9})
    configure_tokenizer_padding(tok)
    assert tok.pad_token == "<|reserved_special_token_0|>"
    tok = FakeTokenizer()
    assert "EOS" in configure_tokenizer_padding(tok) and tok.pad_token == "</s>"
    with pytest.raises(PaddingError):
        configure_tokenizer_padding(FakeTokenizer(eos=None))
