# --salience-scale percent resolves the mix of input-salience-mix: every salience is divided by 100, as
# asked, and the note says so.
parley validate tests/data/input/salience_mix.csv --salience-scale percent
