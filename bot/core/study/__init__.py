"""Study: quiz questions, spaced repetition and the scores they keep."""
