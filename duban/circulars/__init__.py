"""Circulars (督查通报): the office reports each period's facts, praises and criticises units by
name, and issues the circular under a number of its own series once the principal leader agrees
(seed 001 arts. 7(7), 14(5), 16; 000 arts. 4(6), 5(4), 6; 004: weekly, monthly and quarterly
circulars)."""
