# Saliences that read as fractions but for a few above 1: no guess (dividing every one by 100 would turn
# 0.5 into 0.005). One error names the rows above 1 and how to say which scale the file uses; exit 2.
# exit: 2
parley validate tests/data/input/salience_mix.csv
