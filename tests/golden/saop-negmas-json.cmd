# saop:negmas on the laptop domain (GENIUS XML folder): the JSON negotiations list, offer by offer, as
# NegMAS's linear_vs_linear run (tests/data/negotiation/laptop.saop.json) gives them.
parley forecast tests/data/genius/laptop --model saop:negmas,steps=10,strategies=linear --format json
