"""Coding drills ("implement it in NumPy") and their judge; see :mod:`quizforge.drills.base`."""

from quizforge.drills.base import Case, Drill, all_drills, drill_names, get_drill

__all__ = ["Case", "Drill", "all_drills", "drill_names", "get_drill"]
