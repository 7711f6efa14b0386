# A command without its input file is a usage error.
# exit: 2
parley forecast
