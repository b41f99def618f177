"""quizforge: spaced-repetition drills for the theory round of a deep-learning interview."""

__version__ = "0.3.0"
