# A sparse file: ten actors, four issues and three stances. The summary counts the stances themselves
# (not actors x issues cells), and each issue no one takes part in gets a warning.
parley validate tests/data/input/sparse.json
