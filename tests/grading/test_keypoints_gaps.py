"""Key-point matcher paths the first mutation run of ``keypoints.py`` (2026-12-07) left unchecked: what a hit
names when a point is made in its own words, symbol keywords, typos of long words, the same answer read twice,
and keyword phrases that hold small words."""

from __future__ import annotations

import pytest

from quizforge.bank import KeyPoint
from quizforge.grading.keypoints import keyword_hits, suggest, suggest_ticks
from quizforge.text import Text

from .test_keypoints import RESNET, RESNET_PROMPT

# points with no keywords at all: only their own words can make them
OWN_WORDS = (
    KeyPoint(Text("running statistics are kept for evaluation", "梯度原样回传到前面的层"), (), ()),
    KeyPoint(Text("the output is normalised", "输出被归一化"), (), ()),
)
SYMBOL = (
    KeyPoint(Text("the two estimates are approximately equal", "两个估计近似相等"), ("≈",), ()),
    KeyPoint(Text("the loss goes down", "损失下降"), ("loss goes down",), ()),
)


def test_a_point_made_in_its_own_english_words_names_up_to_three_of_them_as_written() -> None:
    hits = keyword_hits(OWN_WORDS, "The statistics are kept for evaluation, which is what matters.")
    assert hits == ("statistics kept evaluation", None)  # the text's content words, small ones left out


@pytest.mark.parametrize(
    ("answer", "named"),
    [
        ("梯度原样回传到前面的层，这是关键。", "梯度原样回传到前面的层"),  # the whole text, from its first character
        ("我认为梯度会原样回传到前面的每一层。", "原样回传到前面的"),  # the longest run the answer says
    ],
)
def test_a_point_made_in_its_own_chinese_words_names_the_longest_run_it_said(answer: str, named: str) -> None:
    assert keyword_hits(OWN_WORDS, answer) == (named, None)


def test_a_symbol_keyword_counts_only_where_the_symbol_is_written() -> None:
    assert suggest_ticks(SYMBOL, "Here the two estimates are ≈ each other.") == (True, False)
    assert keyword_hits(SYMBOL, "The estimate ≈ the truth, so it is fine.") == ("≈", None)
    assert suggest_ticks(SYMBOL, "Here the two estimates differ a lot from each other.") == (False, False)
    without = suggest(SYMBOL, "The loss goes down over time, as it should.")
    assert [s.suggested for s in without] == [False, True]
    assert without[0].evidence == 0.0  # no symbol, none of the point's words: no evidence at all


@pytest.mark.parametrize(
    "answer",
    [
        "It is via bakpropogation that the gradient reaches early layers.",  # 15 letters, two edits
        "It is via backpropogation that the gradient reaches early layers.",  # one edit
    ],
)
def test_a_long_keyword_is_recognised_through_two_typos(answer: str) -> None:
    assert suggest_ticks(RESNET, answer, RESNET_PROMPT)[2]


def test_the_same_answer_gets_the_same_suggestions_every_time() -> None:
    """Typos are remembered per card: the second reading must find what the first one found."""
    answer = "It is via bakpropogation that the gradient reaches early layers."
    first = suggest(RESNET, answer, RESNET_PROMPT)
    assert first[2].suggested
    assert suggest(RESNET, answer, RESNET_PROMPT) == first
    again = "The gradient reaches early layers through bakpropogation, as it is."  # the same typo, another sentence
    assert suggest_ticks(RESNET, again, RESNET_PROMPT)[2]


@pytest.mark.parametrize(
    ("keyword", "answer", "weight"),
    [
        ("ResNet", "We use a ResNet here, and it is good.", 1.0),  # a capital after the first letter: a name
        ("BN", "We use BN here, and it is good.", 1.0),  # two capitals
        ("x_t", "We use x_t here, and it is good.", 1.0),  # not only letters: a formula
        ("l2", "We use l2 here, and it is good.", 1.0),
        ("normalizer", "We use a normalizer here, and it is good.", 1.0),  # ten letters or more
        ("skip connection", "We use a skip connection here, and it is good.", 1.0),  # two content words
        ("残差网", "我们在这里用的是残差网，这很好。", 1.0),  # three Chinese characters
        ("L2正则", "我们在这里用的是L2正则，这很好。", 1.0),  # Chinese with a letter or digit
        ("BN层", "我们在这里用的是BN层，这很好。", 1.0),
        ("softmax", "We use a softmax here, and it is good.", 0.6),  # one everyday word
        ("Softmax", "We use a softmax here, and it is good.", 0.6),  # capitalised as a sentence starts
        ("optimizer", "We use an optimizer here, and it is good.", 0.6),  # nine letters
        ("the identity", "We use the identity here, and it is good.", 0.6),  # an article adds no specificity
        ("残差", "我们在这里用的是残差，这很好。", 0.6),  # two Chinese characters
    ],
)
def test_a_keyword_weighs_by_how_specific_it_is(keyword: str, answer: str, weight: float) -> None:
    """The point's own text (``qqq``) is not in the answer, so the evidence is the keyword's weight alone:
    1.0 for a specific keyword (several words, a name, a formula, three Chinese characters), 0.6 otherwise."""
    point = (KeyPoint(Text("qqq", ""), (keyword,), ()),)
    (found,) = suggest(point, answer)
    assert found.evidence == pytest.approx(weight)
    assert found.suggested == (weight == 1.0)  # 0.95 is needed: a generic keyword alone suggests nothing


def test_a_short_answer_keeps_the_points_with_the_most_evidence() -> None:
    """Four content words (identity, backpropagation, running, statistics) make at most two points: of the
    three with enough evidence, the two strongest; the small words (it, is, the, via, of) do not add room."""
    found = suggest(RESNET, "It is the identity via the backpropagation of the running statistics.", RESNET_PROMPT)
    enough = [i for i, s in enumerate(found) if s.evidence >= 0.95]
    assert enough == [1, 2, 3]
    strongest = sorted(enough, key=lambda i: -found[i].evidence)[:2]
    assert [i for i, s in enumerate(found) if s.suggested] == sorted(strongest)
    assert found[2].hit is None  # not chosen: nothing named


def test_a_synonym_at_the_very_start_of_an_answer_counts() -> None:
    assert keyword_hits(RESNET, "Skip connections add the input back to the output.")[0] == "shortcut"


def test_a_keyword_the_question_says_in_other_words_is_weak_evidence() -> None:
    point = (KeyPoint(Text("qqq", ""), ("skip connection",), ()),)
    answer = "We use a skip connection here, and it is good."
    assert suggest(point, answer)[0].evidence == pytest.approx(1.0)
    (found,) = suggest(point, answer, Text("Why do shortcuts help?", "捷径为什么有用？"))  # a synonym, not the words
    assert found.evidence == pytest.approx(0.5) and not found.suggested


STEMS = (
    KeyPoint(Text("qqq", ""), ("saturat",), ()),  # a bank keyword written as a stem
    KeyPoint(Text("rrr", ""), ("add",), ()),
    KeyPoint(Text("sss", ""), ("frozen layers",), ()),
)


@pytest.mark.parametrize(
    ("answer", "evidence"),
    [
        ("The sigmoid saturates here, and it is bad.", (0.6, 0.0, 0.0)),  # a long stem extends by an ending
        ("We build an adder here, and it is good.", (0.0, 0.0, 0.0)),  # a short one does not: adder is no add
        ("We keep the frozen layers here, and it is good.", (0.0, 0.0, 1.0)),  # a phrase's words side by side
        ("We keep the frozen and the trained layers here.", (0.0, 0.0, 0.0)),  # more than three words apart
    ],
)
def test_keywords_are_found_as_stems_and_phrases_as_written(answer: str, evidence: tuple[float, ...]) -> None:
    assert tuple(s.evidence for s in suggest(STEMS, answer)) == pytest.approx(evidence)


@pytest.mark.parametrize(
    ("keyword", "answer"),
    [
        ("regulari", "We use regularization here, and it is good."),
        ("saturat", "The unit is saturating here, it is bad."),
    ],
)
def test_a_keyword_written_as_a_stem_is_found_in_its_longer_forms(keyword: str, answer: str) -> None:
    (found,) = suggest((KeyPoint(Text("qqq", ""), (keyword,), ()),), answer)
    assert found.evidence == pytest.approx(0.6)  # found: one generic keyword's weight


def test_an_eight_letter_word_is_recognised_through_two_typos() -> None:
    assert keyword_hits(RESNET, "A shrtcutt adds the input to the output.", RESNET_PROMPT)[0] == "shortcut"


def test_a_two_word_sentence_may_make_one_point() -> None:
    assert suggest_ticks(RESNET, "Via backpropagation.", RESNET_PROMPT) == (False, False, True, False)


def test_a_list_of_keyword_phrases_is_no_answer_even_when_the_phrases_hold_small_words() -> None:
    """'and', 'of', 'to' inside the card's own keyword phrases do not make a list of them a sentence."""
    phrases = (
        KeyPoint(Text("qqq", ""), ("weight and bias",), ()),
        KeyPoint(Text("rrr", ""), ("batch of one",), ()),
        KeyPoint(Text("sss", ""), ("sum to one",), ()),
    )
    assert suggest_ticks(phrases, "Weight and bias, batch of one, sum to one.") == (False, False, False)
    assert suggest_ticks(phrases, "The weight and bias are learnt with a batch of one.") == (True, True, False)
