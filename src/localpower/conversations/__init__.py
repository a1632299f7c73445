"""Conversations (Pol.is-style deliberation): short statements, agree/disagree/pass votes, opinion groups and
the statements that bridge them. The maths is in ``localpower.tally.opinion``."""
