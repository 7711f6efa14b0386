# parley serve refuses a non-loopback address unless asked to serve other machines.
# exit: 2
parley serve --bind 0.0.0.0
