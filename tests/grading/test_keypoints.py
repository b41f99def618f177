"""Key-point suggestions for free concept answers: what counts as making a point, and what does not."""

from __future__ import annotations

import re
import string
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizforge.bank import KeyPoint
from quizforge.grading import score_key_points
from quizforge.grading.keypoints import (
    compact,
    keyword_hits,
    normalise,
    stem,
    suggest,
    suggest_ticks,
    synonyms,
    words,
)
from quizforge.text import Text

RESNET_PROMPT = Text("How does ResNet solve the degradation problem?", "ResNet 是如何解决网络退化问题的？")
RESNET = (
    KeyPoint(
        Text("a shortcut adds the input: the layers learn the residual F(x) = H(x) − x", "捷径把输入加回来：只学残差"),
        ("shortcut", "residual"),
        ("捷径", "残差"),
    ),
    KeyPoint(
        Text("with zero weights the block is the identity, so extra layers cannot hurt", "权重为零时就是恒等映射"),
        ("identity", "cannot hurt"),
        ("恒等",),
    ),
    KeyPoint(
        Text("the gradient flows back through the shortcut unchanged", "梯度经捷径原样回传"),
        ("gradient flows", "backpropagation"),
        ("回传", "反向传播"),
    ),
    KeyPoint(
        Text("running statistics are kept for evaluation", "评估时用滑动平均"),
        ("running statistics",),
        ("滑动平均",),
    ),
)


def ticks(answer: str, prompt: Text | None = RESNET_PROMPT) -> tuple[bool, ...]:
    return suggest_ticks(RESNET, answer, prompt)


# -- matching words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        "Each block has a skip connection, so it only has to learn what is left over.",  # a synonym
        "The blocks are built around a shortcut connection that adds the input back.",
        "Every block has shortcuts that add the input to the output.",  # a plural
        "每个块都有一条跳跃连接，把输入直接加到输出上。",  # a Chinese synonym of an English keyword
        "每个块都有一条捷 径，把输入直接加到输出上。",  # a space typed inside a Chinese word
        "resnet uses shorcut conections so that each block only learns a residuel.",  # typos
    ],
)
def test_a_point_is_made_in_other_words_and_other_spellings(answer: str) -> None:
    assert ticks(answer)[0], answer


def test_british_and_american_spellings_and_word_forms_meet() -> None:
    assert stem(normalise("normalisation").strip()) == stem(normalise("normalization").strip())
    assert stem("statistics") == stem("statistic")
    kp = (KeyPoint(Text("it regularises the network"), ("regularization",)),)
    assert suggest_ticks(kp, "Dropout is a regularisation method for the network.") == (True,)
    prefix = (KeyPoint(Text("units saturate"), ("saturat",)),)  # bank keywords may be stems
    assert suggest_ticks(prefix, "The sigmoid is saturating for large inputs.") == (True,)
    assert suggest_ticks(prefix, "The saturnine sigmoid is slow for large inputs.") == (False,)


def test_a_phrase_must_stand_together_and_in_order() -> None:
    kp = (KeyPoint(Text("autoregressive decoding runs one token at a time (batch of one)"), ("batch of one",)),)
    assert suggest_ticks(kp, "At inference you often decode with a batch of 1.") == (True,)
    assert suggest_ticks(kp, "One reason is that the batch statistics differ at inference.") == (False,)


def test_minus_infinity_is_read_however_it_is_written() -> None:
    kp = (KeyPoint(Text("masked logits are set to −∞ before the softmax"), ("−∞",), ("负无穷",)),)
    for answer in (
        "Set the masked scores to -inf so that softmax gives them zero weight.",
        "The masked scores are set to float('-inf') before the softmax.",
        "The masked scores become negative infinity, so their weight is zero.",
        "把被遮住的分数设为负无穷，这样它们的权重就是 0。",
    ):
        assert suggest_ticks(kp, answer) == (True,), answer


def test_the_words_of_the_question_are_weak_evidence() -> None:
    text = Text("deeper plain nets had a higher training error: degradation, not over-fitting")
    kp = (KeyPoint(text, ("degradation",)),)
    answer = "It solves the degradation problem of ResNet, that is how it works."
    assert suggest_ticks(kp, answer) == (True,)
    assert suggest_ticks(kp, answer, RESNET_PROMPT) == (False,)  # the question said "degradation" already


def test_a_generic_keyword_needs_the_points_own_words_too() -> None:
    kp = (
        KeyPoint(Text("BatchNorm statistics are noisy with small batches"), ("noisy", "small")),
        KeyPoint(Text("padding pollutes the batch statistics"), ("padding",)),
    )
    assert suggest_ticks(kp, "It is a small model, so training is fast.") == (False, False)
    assert suggest_ticks(kp, "With small batches the BatchNorm statistics get noisy.") == (True, False)


# -- what is no answer -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        "residual shortcut identity gradient backpropagation running statistics",
        "Residual, shortcut, identity, gradient flows, backpropagation, running statistics",
        "The answer involves residual, shortcut, identity, backpropagation and running statistics.",
        "- residual\n- shortcut\n- identity\n- backpropagation\n- running statistics",
        "残差 捷径 恒等 回传 滑动平均",
        "残差、捷径、恒等、反向传播、滑动平均",
    ],
)
def test_a_list_of_keywords_is_no_answer(answer: str) -> None:
    assert not any(ticks(answer)), answer
    assert not score_key_points(ticks(answer)).correct


def test_the_same_points_in_sentences_are_an_answer() -> None:
    answer = (
        "Each block adds its input back through a shortcut, so the layers only learn the residual. "
        "With zero weights the block is just the identity. "
        "In backpropagation the gradient flows through the shortcut unchanged."
    )
    assert ticks(answer) == (True, True, True, False)
    assert ticks(answer.replace("only learn", "only\nlearn")) == (True, True, True, False)  # a wrapped line
    zh = "每个块都通过捷径把输入加回来，只需要学习残差。权重为零时这个块就是恒等映射。反向传播时梯度经捷径原样回传。"
    assert ticks(zh) == (True, True, True, False)


def test_an_answer_makes_no_more_points_than_it_has_words_for() -> None:
    assert sum(ticks("It is a residual shortcut identity.")) <= 2


@pytest.mark.parametrize("answer", ["", "   \n\t", "。。。", "?!", "∞∞∞", "x" * 5000])
def test_empty_or_meaningless_answers_make_no_point(answer: str) -> None:
    assert ticks(answer) == (False, False, False, False)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(string.printable + "残差捷径恒等的是了，。、−∞×²ᵗβ"), max_size=300))
def test_any_text_gives_one_flag_per_point(answer: str) -> None:
    result = suggest(RESNET, answer, RESNET_PROMPT)
    assert len(result) == len(RESNET)
    for s in result:
        assert (s.hit is not None) == s.suggested


# -- what the suggestions say --------------------------------------------------------------------------


def test_hits_name_what_the_answer_said() -> None:
    hits = keyword_hits(RESNET, "Each block has a shortcut that adds the input, and the block is then 恒等的.")
    assert hits[0] == "shortcut" and hits[1] == "恒等" and hits[2:] == (None, None)


def test_no_synonym_phrase_belongs_to_two_groups() -> None:
    from importlib.resources import files

    import yaml

    def key(phrase: str) -> str | tuple[str, ...]:  # how the matcher looks a phrase up
        text = normalise(phrase)
        return compact(text) if re.search("[\u4e00-\u9fff]", text) else tuple(stem(w) for w in words(text))

    groups = yaml.safe_load(files("quizforge.grading").joinpath("synonyms.yaml").read_text("utf-8"))
    phrases = Counter(k for g in groups for k in {key(str(p)) for p in g})
    assert [p for p, n in phrases.items() if n > 1] == []
    syn = synonyms()
    assert syn.english_group("skip connection") == syn.chinese["跳跃连接"]
