"""Answering: reading a question, finding candidates, judging them, wording the answer."""
