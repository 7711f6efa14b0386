# The outcome space of a small GENIUS negotiation (reservation 0.5 each): the zone of agreement, the four
# points with who gains what, and the Pareto frontier with its outcomes outside the zone unstarred.
parley analyze tests/data/genius/flightbooking_a
