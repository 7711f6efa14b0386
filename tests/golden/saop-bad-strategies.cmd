# A strategy list must have one name for all, or one per party.
# exit: 2
parley forecast tests/data/genius/politics --model saop,strategies=boulware+linear
